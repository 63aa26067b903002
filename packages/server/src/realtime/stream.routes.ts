import { Router } from 'express'
import { AppError } from '../errors/app-error.js'
import type { Broadcaster } from './broadcaster.js'

/**
 * `GET /v1/stream` without an upgrade (api.md §4.14): 426 `upgrade_required`, or 501 `stream_inactive` when the
 * bridge serves the stream (R6). Upgrades never reach Express: the local broadcaster takes them on the server.
 */
export function streamRoutes(broadcaster: Broadcaster): Router {
  const router = Router()
  router.get('/v1/stream', (_req, _res, next) => {
    if (broadcaster.kind === 'bridge') {
      next(new AppError('stream_inactive', 'The live stream is served by the API Gateway bridge'))
      return
    }
    next(new AppError('upgrade_required', 'Use a WebSocket upgrade: ws(s)://<host>/v1/stream?token=<credential>'))
  })
  return router
}
