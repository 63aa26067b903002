import type { Config } from '../config.js'
import type { Logger } from '../logger.js'
import type { Broadcaster } from './broadcaster.js'
import { NullBroadcaster } from './null-broadcaster.js'

/** Chosen once at start (realtime.md R5). The live stream is not built yet: pushes go nowhere. */
export function createBroadcaster(_config: Config, logger: Logger): Broadcaster {
  logger.info('live stream: not available in this build')
  return new NullBroadcaster()
}
