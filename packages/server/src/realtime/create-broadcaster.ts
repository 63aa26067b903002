import type { Config } from '../config.js'
import type { Clock } from '../clock.js'
import type { Logger } from '../logger.js'
import { ApiGatewayBroadcaster } from './apigw-broadcaster.js'
import type { Broadcaster } from './broadcaster.js'
import { LocalWsBroadcaster } from './local-ws-broadcaster.js'

export type BroadcasterChoice = 'bridge' | 'local'

/** R5 as a pure decision: production with an endpoint → bridge; anything else → local. */
export function chooseBroadcaster(config: Pick<Config, 'mode' | 'ws_gateway_endpoint'>): BroadcasterChoice {
  return config.mode === 'production' && config.ws_gateway_endpoint.trim() !== '' ? 'bridge' : 'local'
}

/** Chosen once at start (realtime.md R5); the choice is logged once. */
export function createBroadcaster(config: Config, logger: Logger, clock: Clock): Broadcaster {
  if (chooseBroadcaster(config) === 'bridge') {
    logger.info(
      { endpoint: config.ws_gateway_endpoint, region: config.ws_gateway_region },
      'live stream: API Gateway bridge',
    )
    return new ApiGatewayBroadcaster({
      endpoint: config.ws_gateway_endpoint,
      region: config.ws_gateway_region,
      concurrency: config.ws_push_concurrency,
      queuePerConnection: config.ws_push_queue_per_connection,
      clock,
      logger,
    })
  }
  if (config.mode === 'production') {
    logger.warn('live stream: production mode without ws_gateway_endpoint; serving /v1/stream locally')
  } else logger.info('live stream: local WebSocket at /v1/stream')
  return new LocalWsBroadcaster({
    clock,
    logger,
    maxConnectionsPerPrincipal: config.ws_max_connections_per_key,
    pingIntervalMs: config.ws_ping_interval_seconds * 1000,
    maxBufferedBytes: config.ws_max_buffered_bytes,
  })
}
