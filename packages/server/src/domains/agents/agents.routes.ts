import { Router } from 'express'
import { AGENT_STATUSES, type WireAgent } from '@hiveboard/shared'
import { principalOf } from '../../http/principal.js'
import { QueryReader } from '../../http/query.js'
import { compareKeys, paginateSorted, type SortKey } from '../../http/paginate.js'
import { route } from '../../http/routes.js'
import type { ProjectsService } from '../projects/projects.service.js'
import { attentionRank, type AgentsService } from './agents.service.js'

const SORTS = ['attention', 'last_seen', 'name'] as const

function sortKey(sort: (typeof SORTS)[number]): (a: WireAgent) => SortKey {
  switch (sort) {
    case 'attention':
      return (a) => [attentionRank(a.derived_status), -Date.parse(a.last_seen), a.agent_id]
    case 'last_seen':
      return (a) => [-Date.parse(a.last_seen), a.agent_id]
    case 'name':
      return (a) => [a.agent_id]
  }
}

/** `GET /v1/agents` and `GET /v1/agents/{agent_id}` (api.md §4.3). */
export function agentsRoutes(agents: AgentsService, projects: ProjectsService): Router {
  const router = Router()
  route(router, '/agents', {
    GET: (req, res) => {
      const principal = principalOf(res)
      const q = new QueryReader(req)
      const projectRef = q.text('project_id')
      const environment = q.text('environment')
      const group = q.text('group')
      const statuses = q.enumList('status', AGENT_STATUSES)
      const sort = q.enum('sort', SORTS, 'attention')
      const limit = q.limit()
      const cursor = q.string('cursor')
      const scope = { tenantId: principal.tenantId, partition: principal.partition }
      const linked =
        projectRef === undefined
          ? undefined
          : projects.linkedAgentIds(
              scope.tenantId,
              scope.partition,
              projects.require(scope.tenantId, projectRef).project_id,
            )
      const keyOf = sortKey(sort)
      const matching = agents
        .all(scope)
        .filter(
          (a) =>
            (linked === undefined || linked.has(a.agent_id)) &&
            (environment === undefined || a.environment === environment) &&
            (group === undefined || a.group === group) &&
            (statuses === undefined || statuses.includes(a.derived_status)),
        )
        .map((agent) => ({ agent, key: keyOf(agent) }))
        .sort((a, b) => compareKeys(a.key, b.key))
      const page = paginateSorted(matching, (m) => m.key, {
        limit,
        cursor,
        query: ['agents', projectRef, environment, group, statuses, sort],
      })
      res.json({ data: page.data.map((m) => m.agent), pagination: page.pagination })
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
