import { Router } from 'express'
import { ROLES } from '@hiveboard/shared'
import { z } from 'zod'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import { parseBody, pathParam } from '../../http/validate.js'
import type { AuthService } from '../auth/auth.service.js'
import { requireJwt, requireUserManager } from '../auth/permissions.js'
import { Email, Password, PersonName, RoleField, userView } from './user-rules.js'
import type { UsersService } from './users.service.js'

const CreateBody = z.object({ email: Email, password: Password, name: PersonName, role: RoleField.default('member') })
const Settings = z.record(z.string(), z.unknown()).refine((s) => JSON.stringify(s).length <= 16_384, 'At most 16 KB')
const UpdateBody = z.object({
  email: Email.optional(),
  name: PersonName.optional(),
  role: RoleField.optional(),
  settings: Settings.optional(),
})

/** `/v1/users*` (api.md §4.13). Order: permission (403) → validation (400) → lookup (404) → rules. */
export function usersRoutes(users: UsersService, auth: AuthService): Router {
  const router = Router()
  route(router, '/users', {
    GET: (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      const q = new QueryReader(req)
      const role = q.string('role') === undefined ? undefined : q.enum('role', ROLES, 'member')
      const isActive = q.string('is_active') === undefined ? undefined : q.bool('is_active', true)
      res.json({ data: users.list(principal.tenantId, { role, isActive }) })
    },
    POST: async (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      const input = parseBody(CreateBody, req.body)
      const passwordHash = await auth.hashPassword(input.password)
      res.status(201).json(await users.create(principal, input, passwordHash))
    },
  })
  route(router, '/users/me', {
    GET: (_req, res) => {
      const principal = principalOf(res)
      const userId = requireJwt(principal)
      res.json(userView(users.require(principal.tenantId, userId)))
    },
  })
  route(router, '/users/:user_id', {
    GET: (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      res.json(userView(users.require(principal.tenantId, pathParam(req.params, 'user_id'))))
    },
    PUT: async (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      const input = parseBody(UpdateBody, req.body)
      res.json(await users.update(principal, pathParam(req.params, 'user_id'), input))
    },
    DELETE: async (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      res.json(await users.deactivate(principal, pathParam(req.params, 'user_id')))
    },
  })
  route(router, '/users/:user_id/reactivate', {
    POST: async (req, res) => {
      const principal = principalOf(res)
      requireUserManager(principal, req.method)
      res.json(await users.reactivate(principal, pathParam(req.params, 'user_id')))
    },
  })
  return router
}
