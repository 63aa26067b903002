import type { Logger } from '../logger.js'
import type { Broadcaster } from './broadcaster.js'

export const STATS_LOG_MS = 5 * 60_000

/** R7: stats logged every 5 min when any counter is non-zero. The caller clears the timer on close. */
export function startStatsLog(
  broadcaster: Pick<Broadcaster, 'stats'>,
  logger: Logger,
  everyMs = STATS_LOG_MS,
): NodeJS.Timeout {
  return setInterval(() => {
    const stats = broadcaster.stats()
    if (Object.values(stats).some((v) => v !== 0)) logger.info({ stream: stats }, 'live stream stats')
  }, everyMs).unref()
}
