import { Router, type Request, type Response } from 'express'
import { WindowReader } from '../../analytics/window-reader.js'
import type { Clock } from '../../clock.js'
import { route } from '../../http/routes.js'
import type { AgentState } from '../../projection/agent-state.js'
import type { NamespaceView } from '../../projection/namespace.js'
import type { Scope } from '../../realtime/broadcaster.js'
import type { Storage } from '../../storage/storage.js'
import { isStuck, stuckThresholdSeconds } from '../agents/derive-status.js'
import type { ProjectsService } from '../projects/projects.service.js'
import { queryOf, readFilter, readWindow, scopeOf, type AnalyticsFilter } from './analytics-query.js'
import { costSummary } from './cost.js'
import { costTimeseriesAcrossRetention } from './cost-retired.js'
import { LLM_SORTS, llmCalls } from './llm-calls.js'
import { insights } from './insights.js'
import { HOURLY_METRICS, hourlyInsights } from './hourly-insights.js'
import { RANGES } from '../../analytics/bucket-math.js'
import { GROUP_BYS, metrics } from './metrics.js'

export interface AnalyticsDeps {
  storage: Storage
  projects: ProjectsService
  clock: Clock
  defaultStuckThresholdSeconds: number
}

/** Agents in scope (E70): the agent filter, project links, environment. */
export function agentsInScope(
  deps: AnalyticsDeps,
  ns: NamespaceView,
  scope: Scope,
  filter: AnalyticsFilter,
): AgentState[] {
  const linked =
    filter.projectId === undefined
      ? undefined
      : deps.projects.linkedAgentIds(scope.tenantId, scope.partition, filter.projectId)
  return [...ns.agents.values()].filter(
    (agent) =>
      (filter.agentId === undefined || agent.agentId === filter.agentId) &&
      (linked === undefined || linked.has(agent.agentId)) &&
      (filter.environment === undefined || agent.environment === filter.environment),
  )
}

/** Agents in scope stuck now (E70). */
export function stuckCount(
  deps: AnalyticsDeps,
  ns: NamespaceView,
  scope: Scope,
  filter: AnalyticsFilter,
  now: number,
): number {
  const stuck = (agent: AgentState) =>
    isStuck(agent, now, stuckThresholdSeconds(agent, deps.defaultStuckThresholdSeconds))
  return agentsInScope(deps, ns, scope, filter).filter(stuck).length
}

/** `/v1/metrics`, `/v1/cost`, `/v1/cost/timeseries`, `/v1/llm-calls` = `/v1/cost/calls`, `/v1/insights` (api.md §4.6–4.8). */
export function analyticsRoutes(deps: AnalyticsDeps): Router {
  const router = Router()
  const nsOf = (scope: Scope) => deps.storage.events.namespace(scope.tenantId, scope.partition)

  route(router, '/metrics', {
    GET: (req, res) => {
      const scope = scopeOf(res)
      const q = queryOf(req)
      const now = deps.clock.now()
      const window = readWindow(q, '1h', now)
      const filter = readFilter(q, scope, deps.projects)
      const groupBy = q.string('group_by')
      const group = groupBy === undefined ? undefined : q.enum('group_by', GROUP_BYS, 'agent')
      const ns = nsOf(scope)
      res.json(
        metrics(new WindowReader(ns), {
          ...window,
          filter,
          groupBy: group,
          stuck: stuckCount(deps, ns, scope, filter, now),
          effectiveProject: deps.projects.effectiveIds(scope.tenantId),
        }),
      )
    },
  })

  route(router, '/cost', {
    GET: (req, res) => {
      const scope = scopeOf(res)
      const q = queryOf(req)
      const window = readWindow(q, '24h', deps.clock.now())
      const filter = { ...readFilter(q, scope, deps.projects), model: q.text('model') }
      const reader = new WindowReader(nsOf(scope))
      const effectiveProject = deps.projects.effectiveIds(scope.tenantId)
      res.json(costSummary(reader, window.range, window.from, window.to, filter, effectiveProject))
    },
  })

  route(router, '/cost/timeseries', {
    GET: (req, res) => {
      const scope = scopeOf(res)
      const q = queryOf(req)
      const window = readWindow(q, '24h', deps.clock.now())
      const filter = { ...readFilter(q, scope, deps.projects), model: q.text('model') }
      const data = costTimeseriesAcrossRetention(nsOf(scope), window.bounds, filter)
      res.json({ range: window.range, interval: window.interval, data })
    },
  })

  route(router, '/insights', {
    GET: (req, res) => {
      const scope = scopeOf(res)
      const q = queryOf(req)
      const now = deps.clock.now()
      const window = readWindow(q, '24h', now)
      const filter = readFilter(q, scope, deps.projects)
      const ns = nsOf(scope)
      const agents = agentsInScope(deps, ns, scope, filter)
      const effectiveProject = deps.projects.effectiveIds(scope.tenantId)
      const base = { ...window, filter, groupBy: undefined, stuck: 0, now, agents, effectiveProject }
      res.json(insights(new WindowReader(ns), { ...base, defaultThresholdSeconds: deps.defaultStuckThresholdSeconds }))
    },
  })

  route(router, '/insights/hourly', {
    GET: (req, res) => {
      const scope = scopeOf(res)
      const q = queryOf(req)
      const request = {
        range: q.enum('range', RANGES, '24h'),
        metric: q.enum('metric', HOURLY_METRICS, 'cost'),
        agentId: q.text('agent_id'),
        now: deps.clock.now(),
      }
      res.json(hourlyInsights(nsOf(scope).hourly, request))
    },
  })

  const calls = (req: Request, res: Response): void => {
    const scope = scopeOf(res)
    const q = queryOf(req)
    const filter = {
      ...readFilter(q, scope, deps.projects),
      model: q.text('model'),
      taskId: q.text('task_id'),
      name: q.text('name'),
    }
    const { since, until } = q.window()
    const sort = q.enum('sort', LLM_SORTS, 'newest')
    const effectiveProject = deps.projects.effectiveIds(scope.tenantId)
    const page = { limit: q.limit(), cursor: q.string('cursor') }
    res.json(llmCalls(nsOf(scope), { filter, since, until, sort, ...page, effectiveProject }))
  }
  route(router, '/llm-calls', { GET: calls })
  route(router, '/cost/calls', { GET: calls })
  return router
}
