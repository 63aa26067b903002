import { Router } from 'express'
import { assertCanIngest, principalOf } from '../../http/principal.js'
import { route } from '../../http/routes.js'
import type { IngestService } from './ingest.service.js'

export function ingestRoutes(ingest: IngestService): Router {
  const router = Router()
  route(router, '/ingest', {
    POST: async (req, res) => {
      const principal = principalOf(res)
      assertCanIngest(principal)
      const outcome = await ingest.ingest(principal, req.body)
      res.status(outcome.status).json(outcome.body)
    },
  })
  return router
}
