import { Router } from 'express'
import { AppError } from '../../errors/app-error.js'
import { route } from '../../http/routes.js'
import type { Storage } from '../../storage/storage.js'

export const SERVER_VERSION = '0.1.0'

/** `GET /health` (always, even before storage is ready) and `GET /health/ready` (api.md §4.1). */
export function healthRoutes(mode: string, storage: Storage, backgroundJobsRunning: () => boolean): Router {
  const router = Router()
  route(router, '/health', { GET: (_req, res) => void res.json({ status: 'ok', version: SERVER_VERSION, mode }) })
  route(router, '/health/ready', {
    GET: (_req, res) => {
      const health = storage.health()
      const checks = {
        storage: health.ready && !health.readOnly ? 'ok' : health.readOnly ? 'read_only' : 'loading',
        background_jobs: backgroundJobsRunning() ? 'ok' : 'stopped',
      }
      if (checks.storage !== 'ok' || checks.background_jobs !== 'ok') {
        throw new AppError('not_ready', 'Server is not ready', { checks })
      }
      res.json({ status: 'ready', checks })
    },
  })
  return router
}
