import { Router } from 'express'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { route } from '../../http/routes.js'
import type { ProjectsService } from '../projects/projects.service.js'
import { listAgents } from './agent-list.js'
import type { AgentsService } from './agents.service.js'

/** `GET /v1/agents` and `GET /v1/agents/{agent_id}` (api.md §4.3). */
export function agentsRoutes(agents: AgentsService, projects: ProjectsService): Router {
  const router = Router()
  route(router, '/agents', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const q = new QueryReader(req)
      const scope = { tenantId: principal.tenantId, partition: principal.partition }
      const projectRef = q.text('project_id')
      const projectId = projectRef === undefined ? undefined : projects.require(scope.tenantId, projectRef).project_id
      const linked =
        projectId === undefined
          ? undefined
          : { projectId, agentIds: projects.linkedAgentIds(scope.tenantId, scope.partition, projectId) }
      res.json(listAgents(agents, scope, q, linked))
    },
  })
  route(router, '/agents/:agent_id', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const agentId = req.params['agent_id'] as string
      res.json(agents.get({ tenantId: principal.tenantId, partition: principal.partition }, agentId))
    },
  })
  return router
}
