import { percent, round6 } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import { fromMicros, type Filter } from '../../analytics/agg.js'
import type { LlmWindow } from '../../analytics/rollups.js'
import { HOUR_MS } from '../../analytics/bucket-math.js'
import { taskFigures, average } from '../../analytics/task-figures.js'
import type { WindowReader } from '../../analytics/window-reader.js'
import type { AgentState } from '../../projection/agent-state.js'
import type { EventRecord } from '../../projection/stored-event.js'
import { deriveStatus } from '../agents/derive-status.js'
import { costBreakdown, groupRows } from './cost.js'
import { fleetInsights } from './insights-fleet.js'
import { toLlmCall } from './llm-calls.js'
import { metricsTimeseries, type MetricsRequest } from './metrics.js'

export interface InsightsRequest extends MetricsRequest {
  now: number
  agents: readonly AgentState[]
  defaultThresholdSeconds: number
}

const round1 = (v: number) => Math.round(v * 10) / 10

function withShare<T extends { cost: number }>(rows: T[], total: number): Array<T & { share_percent: number | null }> {
  return rows.map((r) => ({ ...r, share_percent: total > 0 ? percent(r.cost, total) : null }))
}

/** The n costliest calls, ties to the newest: a scan of the cost column, records read only for the few kept. */
function topCalls(calls: LlmWindow, n: number): EventRecord[] {
  const top: number[] = []
  const cost = calls.costMicros
  const newerFirst = (a: number, b: number) => (cost[b] as number) - (cost[a] as number) || b - a
  for (let i = 0; i < calls.length; i++) {
    if (top.length === n && (cost[i] as number) < (cost[top[n - 1] as number] as number)) continue
    top.push(i)
    top.sort(newerFirst)
    if (top.length > n) top.pop()
  }
  return top.map((i) => calls.record(i))
}

function errorTypes(errors: readonly EventRecord[]) {
  const byType = new Map<string, { count: number; agents: Set<string> }>()
  for (const e of errors) {
    const row = byType.get(e.eventType) ?? { count: 0, agents: new Set<string>() }
    row.count++
    row.agents.add(e.agentId)
    byType.set(e.eventType, row)
  }
  return [...byType.entries()]
    .map(([event_type, r]) => ({ event_type, count: r.count, agents: r.agents.size }))
    .sort((a, b) => b.count - a.count || a.event_type.localeCompare(b.event_type))
}

function agentRanking(reader: WindowReader, req: InsightsRequest, filter: Filter) {
  const from = req.now - HOUR_MS
  const tasks = taskFigures(reader.markers(from, req.now + 1, filter))
  const costs = costBreakdown(reader, from, req.now + 1, filter).byAgent
  const counts = new Map<string, { c: number; f: number }>()
  const count = (i: number, field: 'c' | 'f') => {
    const agentId = tasks.markers.record(i).agentId
    const row = counts.get(agentId) ?? { c: 0, f: 0 }
    row[field]++
    counts.set(agentId, row)
  }
  for (const e of tasks.completed) count(e, 'c')
  for (const e of tasks.failed) count(e, 'f')
  return req.agents
    .map((agent) => {
      const { c, f } = counts.get(agent.agentId) ?? { c: 0, f: 0 }
      return {
        agent_id: agent.agentId,
        derived_status: deriveStatus(agent, req.now, req.defaultThresholdSeconds),
        tasks_completed: c,
        success_rate: percent(c, c + f),
        total_cost: round6(fromMicros(costs.get(agent.agentId)?.costMicros ?? 0)),
      }
    })
    .sort(
      (a, b) =>
        b.tasks_completed - a.tasks_completed ||
        (b.success_rate ?? -1) - (a.success_rate ?? -1) ||
        a.agent_id.localeCompare(b.agent_id),
    )
    .slice(0, 20)
}

/** `GET /v1/insights` (api.md §4.8): every aggregate from rollups and bounded window scans. */
export function insights(reader: WindowReader, req: InsightsRequest) {
  const tasks = taskFigures(reader.markers(req.from, req.to, req.filter))
  const total = reader.taskCount(req.from, req.to, req.filter)
  const b = costBreakdown(reader, req.from, req.to, req.filter)
  const cost = fromMicros(b.total.costMicros)
  const completed = tasks.completed.length
  const failed = tasks.failed.length
  return {
    range: req.range,
    interval: req.interval,
    generated_at: iso(req.now),
    fleet: fleetInsights(req.agents, req.now, req.defaultThresholdSeconds),
    tasks: {
      total,
      completed,
      failed,
      escalated: tasks.escalated,
      success_rate: percent(completed, completed + failed),
      avg_duration_ms: average(tasks.durations),
      escalation_rate: percent(tasks.escalatedAny, total),
      human_intervention_rate: percent(tasks.human, total),
    },
    cost: {
      total_cost: round6(cost),
      reported_cost: round6(fromMicros(b.total.reportedMicros)),
      estimated_cost: round6(fromMicros(b.total.estimatedMicros)),
      avg_cost_per_task: completed === 0 ? null : round6(cost / completed),
      call_count: b.total.calls,
      calls_per_task: total === 0 ? null : round1(b.total.calls / total),
      tokens_in: b.total.tokensIn,
      tokens_out: b.total.tokensOut,
      token_ratio: b.total.tokensOut === 0 ? null : round1(b.total.tokensIn / b.total.tokensOut),
      by_model: withShare(groupRows(b.byModel, 'model'), cost),
      by_agent: withShare(groupRows(b.byAgent, 'agent_id').slice(0, 8), cost),
      top_calls: topCalls(reader.llmCallColumns(req.from, req.to, req.filter), 6).map((e) =>
        toLlmCall(e, req.effectiveProject),
      ),
    },
    timeseries: metricsTimeseries(reader, req, tasks),
    error_types: errorTypes(reader.errors(req.from, req.to, req.filter)),
    agent_ranking: agentRanking(reader, req, req.filter),
  }
}
