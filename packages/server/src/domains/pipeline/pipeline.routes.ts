import { Router } from 'express'
import type { Clock } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import type { Storage } from '../../storage/storage.js'
import { deriveStatus } from '../agents/derive-status.js'
import type { ProjectsService } from '../projects/projects.service.js'
import { agentPipeline, pipelineRow } from './pipeline-view.js'

export interface PipelineDeps {
  storage: Storage
  projects: ProjectsService
  clock: Clock
  defaultStuckThresholdSeconds: number
}

/** `GET /v1/agents/{id}/pipeline` and `GET /v1/pipeline` (api.md §4.3). */
export function pipelineRoutes(deps: PipelineDeps): Router {
  const router = Router()
  route(router, '/agents/:agent_id/pipeline', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const ns = deps.storage.events.namespace(principal.tenantId, principal.partition)
      const agent = ns.agents.get(req.params['agent_id'] as string)
      if (agent === undefined) throw new AppError('not_found', 'Agent not found')
      res.json(agentPipeline(agent, deps.clock.now()))
    },
  })
  route(router, '/pipeline', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const q = new QueryReader(req)
      const environment = q.text('environment')
      const projectRef = q.text('project_id')
      const linked =
        projectRef === undefined
          ? undefined
          : deps.projects.linkedAgentIds(
              principal.tenantId,
              principal.partition,
              deps.projects.require(principal.tenantId, projectRef).project_id,
            )
      const now = deps.clock.now()
      const ns = deps.storage.events.namespace(principal.tenantId, principal.partition)
      const totals = { queue_depth: 0, active_issues: 0, active_todos: 0, scheduled_count: 0 }
      const agents = []
      for (const agent of ns.agents.values()) {
        if (environment !== undefined && agent.environment !== environment) continue
        if (linked !== undefined && !linked.has(agent.agentId)) continue
        const row = pipelineRow(agent, now)
        totals.queue_depth += row.queue_depth
        totals.active_issues += row.active_issues
        totals.active_todos += row.active_todos
        totals.scheduled_count += row.scheduled_count
        if (row.queue_depth + row.active_issues + row.active_todos + row.scheduled_count === 0) continue
        agents.push({ ...row, derived_status: deriveStatus(agent, now, deps.defaultStuckThresholdSeconds) })
      }
      agents.sort(
        (a, b) =>
          b.active_issues - a.active_issues || b.queue_depth - a.queue_depth || a.agent_id.localeCompare(b.agent_id),
      )
      res.json({ totals, agents })
    },
  })
  return router
}
