import { Router } from 'express'
import { z } from 'zod'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import { parseBody, pathParam } from '../../http/validate.js'
import { requireUserManager } from '../auth/permissions.js'
import { Email, PersonName, RoleField } from '../users/user-rules.js'
import { INVITE_STATUSES, type InvitesService } from './invites.service.js'

const InviteBody = z.object({ email: Email, role: RoleField.default('member'), name: PersonName.optional() })

/** `POST /v1/auth/invite`, `GET /v1/invites`, `DELETE /v1/invites/{invite_id}` (api.md §4.12–4.13). */
export function invitesRoutes(invites: InvitesService): Router {
  const router = Router()
  route(router, '/auth/invite', {
    POST: async (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      res.status(201).json(await invites.create(principal, parseBody(InviteBody, req.body)))
    },
  })
  route(router, '/invites', {
    GET: (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      const status = new QueryReader(req).enum('status', INVITE_STATUSES, 'pending')
      res.json({ data: invites.list(principal.tenantId, status) })
    },
  })
  route(router, '/invites/:invite_id', {
    DELETE: async (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      res.json(await invites.cancel(principal.tenantId, pathParam(req.params, 'invite_id')))
    },
  })
  return router
}
