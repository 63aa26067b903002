import { AGENT_STATUSES, type WireAgent } from '@hiveboard/shared'
import { compareKeys, paginateSorted, type SortKey } from '../../http/paginate.js'
import type { QueryReader } from '../../http/query.js'
import type { Scope } from '../../realtime/broadcaster.js'
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

/**
 * `GET /v1/agents` (api.md §4.3): `environment`, `group`, `status`, `sort`, `limit`, `cursor`; filter, then
 * sort, then page. `linked` narrows to a project's agents (its `project_id` filter, and
 * `GET /v1/projects/{ref}/agents`, which answers "as GET /v1/agents, linked agents only", api.md §4.10).
 */
export function listAgents(
  agents: AgentsService,
  scope: Scope,
  q: QueryReader,
  linked: { projectId: string; agentIds: ReadonlySet<string> } | undefined,
) {
  const environment = q.text('environment')
  const group = q.text('group')
  const statuses = q.enumList('status', AGENT_STATUSES)
  const sort = q.enum('sort', SORTS, 'attention')
  const limit = q.limit()
  const cursor = q.string('cursor')
  const keyOf = sortKey(sort)
  const matching = agents
    .all(scope)
    .filter(
      (a) =>
        (linked === undefined || linked.agentIds.has(a.agent_id)) &&
        (environment === undefined || a.environment === environment) &&
        (group === undefined || a.group === group) &&
        (statuses === undefined || statuses.includes(a.derived_status)),
    )
    .map((agent) => ({ agent, key: keyOf(agent) }))
    .sort((a, b) => compareKeys(a.key, b.key))
  const page = paginateSorted(matching, (m) => m.key, {
    limit,
    cursor,
    query: ['agents', linked?.projectId, environment, group, statuses, sort],
  })
  return { data: page.data.map((m) => m.agent), pagination: page.pagination }
}
