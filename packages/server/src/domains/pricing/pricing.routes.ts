import { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import { AppError, fieldError } from '../../errors/app-error.js'
import { assertCanWrite, principalOf, type Principal } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import type { PricingService } from './pricing.service.js'

const PATTERN = /^[a-z0-9][a-z0-9._:-]{0,99}$/
const price = z.number().finite().min(0).max(10_000)
const Prices = z.object({
  provider: z.string().min(1).max(50),
  input_per_m: price,
  output_per_m: price,
  cached_input_per_m: price.nullable().optional(),
  cache_write_per_m: price.nullable().optional(),
})
const CreatePricing = Prices.extend({ model_pattern: z.string() })
const UpdatePricing = Prices.partial()

/** Pricing override writes: owner, admin, or a live key whose creator is one (api.md §2.4). */
function assertPricingWriter(principal: Principal, req: Request): void {
  assertCanWrite(principal, req)
  if (principal.role !== 'owner' && principal.role !== 'admin') {
    throw new AppError('insufficient_permissions', 'Only owners and admins can change pricing')
  }
}

function patternOf(value: string, field: string): string {
  const pattern = value.trim().toLowerCase()
  if (!PATTERN.test(pattern)) throw fieldError(field, 'Expected ^[a-z0-9][a-z0-9._:-]{0,99}$')
  return pattern
}

/** `GET/POST /v1/admin/pricing`, `PUT/DELETE /v1/admin/pricing/{pattern}` (api.md §4.9). */
export function pricingRoutes(pricing: PricingService): Router {
  const router = Router()
  route(router, '/admin/pricing', {
    GET: (req, res) => {
      const source = new QueryReader(req).string('source')
      if (source !== undefined && source !== 'default' && source !== 'override') {
        throw fieldError('query.source', 'Expected default or override')
      }
      res.json({ data: pricing.list(principalOf(res).tenantId, source) })
    },
    POST: async (req, res) => {
      const principal = principalOf(res)
      assertPricingWriter(principal, req)
      const body = CreatePricing.parse(req.body)
      const pattern = patternOf(body.model_pattern, 'body.model_pattern')
      res.status(201).json(await pricing.create(principal.tenantId, pattern, body))
    },
  })
  const patternParam = (req: Request) => patternOf(req.params['pattern'] as string, 'path.pattern')
  route(router, '/admin/pricing/:pattern', {
    PUT: async (req: Request, res: Response) => {
      const principal = principalOf(res)
      assertPricingWriter(principal, req)
      const body = UpdatePricing.parse(req.body)
      res.json(await pricing.update(principal.tenantId, patternParam(req), body))
    },
    DELETE: async (req: Request, res: Response) => {
      const principal = principalOf(res)
      assertPricingWriter(principal, req)
      res.json(await pricing.remove(principal.tenantId, patternParam(req)))
    },
  })
  return router
}
