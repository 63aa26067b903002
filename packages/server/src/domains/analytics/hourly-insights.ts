import { round6 } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import { bucketStart, HOUR_MS, RANGE_MS, type Range } from '../../analytics/bucket-math.js'
import { beats, emptyModelHour, type AgentHour, type Counts, type ModelHour } from '../../analytics/hourly-cells.js'
import type { HourlyRollups } from '../../analytics/hourly-rollups.js'

export const HOURLY_METRICS = ['cost', 'tasks', 'errors', 'llm_calls', 'tokens'] as const
export type HourlyMetric = (typeof HOURLY_METRICS)[number]

export interface HourlyInsightsRequest {
  range: Range
  metric: HourlyMetric
  agentId: string | undefined
  now: number
}

const usd = (micros: number) => round6(micros / 1e6)
const round1 = (v: number) => Math.round(v * 10) / 10

/** E86 timeseries value of one agent-hour. */
function metricOf(row: AgentHour, metric: HourlyMetric): number {
  switch (metric) {
    case 'cost':
      return row.llm_cost_micros
    case 'tasks':
      return row.tasks_completed
    case 'errors':
      return row.actions_failed + row.tasks_failed
    case 'llm_calls':
      return row.llm_call_count
    case 'tokens':
      return row.llm_tokens_in + row.llm_tokens_out
  }
}

function addCounts(into: Map<string, number>, counts: Counts): void {
  for (const [key, n] of Object.entries(counts)) into.set(key, (into.get(key) ?? 0) + n)
}

function countRows<K extends string>(
  counts: Map<string, number>,
  keyName: K,
): Array<Record<K, string> & { count: number }> {
  return [...counts]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, count]) => ({ [keyName]: key, count }) as Record<K, string> & { count: number })
}

function spread(values: number[], round: (v: number) => number = round1) {
  if (values.length === 0) return { max: null, min: null, avg: null }
  const total = values.reduce((a, b) => a + b, 0)
  return { max: Math.max(...values), min: Math.min(...values), avg: round(total / values.length) }
}

interface AgentTotals {
  cost: number
  tasks: number
  errors: number
  llm_calls: number
  actions_completed: number
  actions_failed: number
}

/**
 * `GET /v1/insights/hourly` (events.md E86, Beyond): insight queries answered from the hourly rollups
 * only, so they cover hours whose raw events retention has removed (E85). Hours are whole UTC hours: the
 * current one and the `range ÷ 1 h − 1` before it.
 */
export function hourlyInsights(rollups: HourlyRollups, req: HourlyInsightsRequest) {
  const last = bucketStart(req.now, HOUR_MS)
  const first = last - RANGE_MS[req.range] + HOUR_MS
  const agents = new Map<string, AgentTotals>()
  const names = { actions: new Map<string, number>(), calls: new Map<string, number>() }
  const errors = { types: new Map<string, number>(), categories: new Map<string, number>() }
  const points: Array<{ timestamp: string; value: number }> = []
  const actionsByHour: Array<{ timestamp: string; completed: number; failed: number }> = []
  for (let hour = first; hour <= last; hour += HOUR_MS) {
    let value = 0
    const actions = { completed: 0, failed: 0 }
    for (const [agentId, row] of rollups.agentHourly.get(hour) ?? []) {
      if (req.agentId !== undefined && agentId !== req.agentId) continue
      const totals = agents.get(agentId) ?? {
        cost: 0,
        tasks: 0,
        errors: 0,
        llm_calls: 0,
        actions_completed: 0,
        actions_failed: 0,
      }
      totals.cost += row.llm_cost_micros
      totals.tasks += row.tasks_completed
      totals.errors += row.actions_failed + row.tasks_failed
      totals.llm_calls += row.llm_call_count
      totals.actions_completed += row.actions_completed
      totals.actions_failed += row.actions_failed
      agents.set(agentId, totals)
      value += metricOf(row, req.metric)
      actions.completed += row.actions_completed
      actions.failed += row.actions_failed
      addCounts(names.actions, row.actions_by_name)
      addCounts(names.calls, row.calls_by_name)
      addCounts(errors.types, row.errors_by_type)
      addCounts(errors.categories, row.errors_by_category)
    }
    const timestamp = iso(hour)
    points.push({ timestamp, value: req.metric === 'cost' ? usd(value) : value })
    actionsByHour.push({ timestamp, ...actions })
  }
  return {
    range: req.range,
    metric: req.metric,
    generated_at: iso(req.now),
    first_hour: iso(first),
    hours: points.length,
    agents: agentSection(agents),
    models: modelSection(rollups, first, last, req.agentId),
    timeseries: { points, ...seriesStats(points) },
    errors: {
      by_agent: [...agents]
        .filter(([, t]) => t.errors > 0)
        .map(([agent_id, t]) => ({ agent_id, count: t.errors }))
        .sort((a, b) => b.count - a.count || a.agent_id.localeCompare(b.agent_id)),
      by_type: countRows(errors.types, 'type'),
      by_category: countRows(errors.categories, 'category'),
    },
    prompts: countRows(names.calls, 'name'),
    actions: {
      by_name: countRows(names.actions, 'name'),
      by_agent: [...agents]
        .filter(([, t]) => t.actions_completed + t.actions_failed > 0)
        .map(([agent_id, t]) => ({ agent_id, completed: t.actions_completed, failed: t.actions_failed }))
        .sort((a, b) => a.agent_id.localeCompare(b.agent_id)),
      by_hour: actionsByHour,
    },
  }
}

function agentSection(agents: Map<string, AgentTotals>) {
  const rows = [...agents].map(([agent_id, t]) => ({
    agent_id,
    cost: usd(t.cost),
    tasks: t.tasks,
    errors: t.errors,
    llm_calls: t.llm_calls,
  }))
  rows.sort((a, b) => b.cost - a.cost || b.tasks - a.tasks || a.agent_id.localeCompare(b.agent_id))
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + pick(r), 0)
  return {
    ranking: rows,
    totals: {
      cost: usd([...agents.values()].reduce((n, t) => n + t.cost, 0)),
      tasks: sum((r) => r.tasks),
      errors: sum((r) => r.errors),
      llm_calls: sum((r) => r.llm_calls),
    },
    cost: spread(
      rows.map((r) => r.cost),
      round6,
    ),
    tasks: spread(rows.map((r) => r.tasks)),
    errors: spread(rows.map((r) => r.errors)),
    llm_calls: spread(rows.map((r) => r.llm_calls)),
  }
}

function modelSection(rollups: HourlyRollups, first: number, last: number, agentId: string | undefined) {
  const models = new Map<string, ModelHour & { agentsUsing: Set<string> }>()
  for (let hour = first; hour <= last; hour += HOUR_MS) {
    for (const [model, row] of rollups.modelHourly.get(hour) ?? []) {
      // An agent filter keeps the models that agent used; their figures stay fleet-wide (E84 has no agent × model cell).
      if (agentId !== undefined && (row.agents[agentId] ?? 0) === 0) continue
      const into = models.get(model) ?? { ...emptyModelHour(), agentsUsing: new Set<string>() }
      into.call_count += row.call_count
      into.tokens_in += row.tokens_in
      into.tokens_out += row.tokens_out
      into.cost_micros += row.cost_micros
      into.duration_sum_ms += row.duration_sum_ms
      into.duration_count += row.duration_count
      const label = `${row.max_tokens_in_agent}\u0000${row.max_tokens_in_call}`
      const best =
        into.max_tokens_in_agent === null ? null : `${into.max_tokens_in_agent}\u0000${into.max_tokens_in_call}`
      if (beats(row.max_tokens_in, label, into.max_tokens_in, best)) {
        Object.assign(into, {
          max_tokens_in: row.max_tokens_in,
          max_tokens_in_agent: row.max_tokens_in_agent,
          max_tokens_in_call: row.max_tokens_in_call,
        })
      }
      for (const agent of Object.keys(row.agents)) into.agentsUsing.add(agent)
      models.set(model, into)
    }
  }
  return [...models]
    .map(([model, m]) => ({
      model,
      call_count: m.call_count,
      tokens_in: m.tokens_in,
      tokens_out: m.tokens_out,
      cost: usd(m.cost_micros),
      avg_duration_ms: m.duration_count === 0 ? null : Math.round(m.duration_sum_ms / m.duration_count),
      max_tokens_in: m.max_tokens_in,
      max_tokens_in_agent: m.max_tokens_in_agent,
      max_tokens_in_call: m.max_tokens_in_call,
      agents_using: m.agentsUsing.size,
    }))
    .sort((a, b) => b.cost - a.cost || a.model.localeCompare(b.model))
}

/** E86: total, avg_per_hour, peak and trough (earliest hour on ties) of a zero-filled series. */
function seriesStats(points: ReadonlyArray<{ timestamp: string; value: number }>) {
  let peak = points[0] ?? null
  let trough = points[0] ?? null
  let total = 0
  for (const p of points) {
    total += p.value
    if (peak === null || p.value > peak.value) peak = p
    if (trough === null || p.value < trough.value) trough = p
  }
  total = round6(total)
  return { total, avg_per_hour: points.length === 0 ? 0 : round6(total / points.length), peak, trough }
}
