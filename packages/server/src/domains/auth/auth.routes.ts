import { Router, type RequestHandler } from 'express'
import { z } from 'zod'
import type { Clock } from '../../clock.js'
import { fieldError } from '../../errors/app-error.js'
import { jsonBody } from '../../http/body.js'
import { ipRateLimit } from '../../http/ip-rate-limit.js'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import { parseBody } from '../../http/validate.js'
import { Email, Password, PersonName } from '../users/user-rules.js'
import type { AuthService } from './auth.service.js'
import { requireJwt } from './permissions.js'

const RegisterBody = z.object({
  email: Email,
  password: Password,
  name: PersonName,
  tenant_name: z.string().min(1).max(100),
})
// Any login failure is the same 401 (api.md §4.12): a malformed e-mail simply matches no user.
const LoginBody = z.object({
  email: z.string().transform((s) => s.trim().toLowerCase()),
  password: z.string(),
  tenant_id: z.string().optional(),
})
const AcceptBody = z.object({ invite_token: z.string().min(1), name: PersonName, password: Password })
const ChangePasswordBody = z.object({ current_password: z.string(), new_password: Password })

/** Per-IP limits of api.md §1.7 Beyond: 10/min on login, register, accept-invite; 60/min on check-slug. */
export interface IpLimits {
  authPerMinute: number
  checkSlugPerMinute: number
}

export const DEFAULT_IP_LIMITS: IpLimits = { authPerMinute: 10, checkSlugPerMinute: 60 }

/**
 * The public auth routes (api.md §2.5), mounted before `authenticate`. Each has its own per-IP window
 * and reads its body itself, since the /v1 body reader runs only after authentication.
 */
export function publicAuthRoutes(auth: AuthService, clock: Clock, maxBodyBytes: number, limits: IpLimits): Router {
  const router = Router()
  const body = jsonBody(maxBodyBytes)
  const guard = (scope: string, perMinute: number): RequestHandler[] => [ipRateLimit(clock, scope, perMinute), body]
  router.use('/auth/register', ...guard('register', limits.authPerMinute))
  router.use('/auth/login', ...guard('login', limits.authPerMinute))
  router.use('/auth/accept-invite', ...guard('accept_invite', limits.authPerMinute))
  router.use('/auth/check-slug', ...guard('check_slug', limits.checkSlugPerMinute))
  route(router, '/auth/register', {
    POST: async (req, res) => {
      res.status(201).json(await auth.register(parseBody(RegisterBody, req.body)))
    },
  })
  route(router, '/auth/check-slug', {
    GET: (req, res) => {
      const slug = new QueryReader(req).string('slug')
      if (slug === undefined) throw fieldError('query.slug', 'Required')
      res.json(auth.checkSlug(slug))
    },
  })
  route(router, '/auth/login', {
    POST: async (req, res) => {
      const input = parseBody(LoginBody, req.body)
      const tenant = new QueryReader(req).text('tenant_id') ?? (input.tenant_id === '' ? undefined : input.tenant_id)
      res.json(await auth.login({ email: input.email, password: input.password, tenant }))
    },
  })
  route(router, '/auth/accept-invite', {
    POST: async (req, res) => {
      res.json(await auth.acceptInvite(parseBody(AcceptBody, req.body)))
    },
  })
  return router
}

/** Authenticated self-service: change-password and logout-all (JWT only, api.md §2.4). */
export function sessionRoutes(auth: AuthService): Router {
  const router = Router()
  route(router, '/auth/change-password', {
    POST: async (req, res) => {
      const userId = requireJwt(principalOf(res))
      res.json(await auth.changePassword(userId, parseBody(ChangePasswordBody, req.body)))
    },
  })
  route(router, '/auth/logout-all', {
    POST: async (_req, res) => {
      res.json(await auth.logoutAll(requireJwt(principalOf(res))))
    },
  })
  return router
}
