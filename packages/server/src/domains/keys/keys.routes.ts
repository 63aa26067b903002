import { Router } from 'express'
import { API_KEY_TYPES } from '@hiveboard/shared'
import { z } from 'zod'
import { principalOf } from '../../http/principal.js'
import { route } from '../../http/routes.js'
import { parseBody, pathParam } from '../../http/validate.js'
import { refuseKeyWrites } from '../auth/permissions.js'
import type { KeysService } from './keys.service.js'

const CreateBody = z.object({
  label: z.string().min(1).max(100).default('API key'),
  key_type: z.enum(API_KEY_TYPES).default('live'),
})

/** `/v1/api-keys` (api.md §4.13). */
export function keysRoutes(keys: KeysService): Router {
  const router = Router()
  route(router, '/api-keys', {
    GET: (_req, res) => {
      res.json({ data: keys.list(principalOf(res)) })
    },
    POST: async (req, res) => {
      const principal = principalOf(res)
      refuseKeyWrites(principal, req.method)
      res.status(201).json(await keys.create(principal, parseBody(CreateBody, req.body)))
    },
  })
  route(router, '/api-keys/:key_id', {
    DELETE: async (req, res) => {
      res.json(await keys.revoke(principalOf(res), pathParam(req.params, 'key_id')))
    },
  })
  return router
}
