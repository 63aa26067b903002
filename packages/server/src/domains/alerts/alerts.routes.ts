import { Router } from 'express'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import { requireAlertWriter } from '../auth/permissions.js'
import type { ProjectsService } from '../projects/projects.service.js'
import type { AlertsService } from './alerts.service.js'

/** `/v1/alerts/*` (api.md §4.11). */
export function alertsRoutes(alerts: AlertsService, projects: ProjectsService): Router {
  const router = Router()
  const projectOf = (tenantId: string, ref: string | undefined) =>
    ref === undefined ? undefined : projects.require(tenantId, ref).project_id
  route(router, '/alerts/rules', {
    GET: (req, res) => {
      const { tenantId } = principalOf(res)
      const q = new QueryReader(req)
      const isEnabled = q.string('is_enabled') === undefined ? undefined : q.bool('is_enabled', true)
      const projectId = projectOf(tenantId, q.text('project_id'))
      res.json({
        data: alerts.list(tenantId, { ...(projectId && { projectId }), ...(isEnabled !== undefined && { isEnabled }) }),
      })
    },
    POST: async (req, res) => {
      const principal = principalOf(res)
      requireAlertWriter(principal, req.method)
      res.status(201).json(await alerts.create(principal.tenantId, req.body))
    },
  })
  route(router, '/alerts/rules/:rule_id', {
    GET: (req, res) => {
      res.json(alerts.get(principalOf(res).tenantId, req.params['rule_id'] as string))
    },
    PUT: async (req, res) => {
      const principal = principalOf(res)
      requireAlertWriter(principal, req.method)
      res.json(await alerts.update(principal.tenantId, req.params['rule_id'] as string, req.body))
    },
    DELETE: async (req, res) => {
      const principal = principalOf(res)
      requireAlertWriter(principal, req.method)
      res.json(await alerts.remove(principal.tenantId, req.params['rule_id'] as string))
    },
  })
  route(router, '/alerts/rules/:rule_id/test', {
    POST: async (req, res) => {
      const principal = principalOf(res)
      requireAlertWriter(principal, req.method)
      res.json(await alerts.test(principal.tenantId, req.params['rule_id'] as string))
    },
  })
  route(router, '/alerts/history', {
    GET: (req, res) => {
      const { tenantId } = principalOf(res)
      const q = new QueryReader(req)
      const filters = {
        ruleId: q.text('rule_id'),
        projectId: projectOf(tenantId, q.text('project_id')),
        ...q.window(),
        open: q.string('open') === undefined ? undefined : q.bool('open', false),
      }
      const page = { limit: q.limit(), cursor: q.string('cursor'), query: ['alerts', filters] }
      res.json(alerts.history(tenantId, filters, page))
    },
  })
  route(router, '/alerts/summary', {
    GET: (_req, res) => {
      res.json(alerts.summary(principalOf(res).tenantId))
    },
  })
  return router
}
