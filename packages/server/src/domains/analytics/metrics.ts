import { percent, round6 } from '@hiveboard/shared'
import { iso } from '../../clock.js'
import { emptyAgg, fromMicros, type Agg, type Filter } from '../../analytics/agg.js'
import { average, percentiles, taskFigures, type TaskFigures } from '../../analytics/task-figures.js'
import type { WindowReader } from '../../analytics/window-reader.js'
import type { ProjectIdMap } from '../projects/project-redirects.js'
import { addTo, byEffectiveProject, costBreakdown } from './cost.js'

export const GROUP_BYS = ['agent', 'model', 'project'] as const
export type GroupBy = (typeof GROUP_BYS)[number]

export interface MetricsRequest {
  range: string
  interval: string
  from: number
  /** Exclusive end: now + 1 ms. */
  to: number
  bounds: ReadonlyArray<[number, number]>
  filter: Filter
  groupBy: GroupBy | undefined
  /** Agents in scope stuck now (E70). */
  stuck: number
  /** Groups by project report moved events under the project they were merged or reassigned into. */
  effectiveProject: ProjectIdMap
}

function errorRate(agg: Agg): number | null {
  const failed = agg.actionFailed + agg.taskFailed
  return percent(failed, failed + agg.actionCompleted + agg.taskCompleted)
}

/** The summary of `GET /v1/metrics` (api.md §4.6, events.md E67–E70). */
export function metricsSummary(reader: WindowReader, req: MetricsRequest, tasks: TaskFigures, agg: Agg) {
  const total = reader.taskCount(req.from, req.to, req.filter)
  const completed = tasks.completed.length
  const failed = tasks.failed.length
  const cost = fromMicros(agg.costMicros)
  const [p50, p95] = percentiles(tasks.durations, [50, 95])
  return {
    total_tasks: total,
    completed,
    failed,
    escalated: tasks.escalated,
    stuck: req.stuck,
    success_rate: percent(completed, completed + failed),
    error_rate: errorRate(agg),
    avg_duration_ms: average(tasks.durations),
    p50_duration_ms: p50 ?? null,
    p95_duration_ms: p95 ?? null,
    throughput_per_hour: round1((completed * 3_600_000) / (req.to - 1 - req.from)),
    total_cost: round6(cost),
    avg_cost_per_task: completed === 0 ? null : round6(cost / completed),
    llm_call_count: agg.calls,
    total_tokens_in: agg.tokensIn,
    total_tokens_out: agg.tokensOut,
  }
}

function round1(value: number): number {
  return Math.round(value * 10) / 10
}

function bucketIndex(bounds: ReadonlyArray<[number, number]>, ts: number): number {
  const first = bounds[0] as [number, number]
  const step = first[1] - first[0]
  return Math.min(bounds.length - 1, Math.max(0, Math.floor((ts - first[0]) / step)))
}

/** Metrics buckets (E74): a task counts in the bucket of its latest terminal event in the window. */
export function metricsTimeseries(reader: WindowReader, req: MetricsRequest, tasks: TaskFigures) {
  const n = req.bounds.length
  const completed = new Array<number>(n).fill(0)
  const failed = new Array<number>(n).fill(0)
  const durations = bucketDurations(tasks, req.bounds)
  if (n > 0) {
    const ts = tasks.markers.ts
    for (const i of tasks.completed) completed[bucketIndex(req.bounds, ts[i] as number)]!++
    for (const i of tasks.failed) failed[bucketIndex(req.bounds, ts[i] as number)]!++
  }
  return req.bounds.map(([from, to], i) => {
    const agg = reader.sum(from, to, req.filter)
    const c = completed[i] as number
    const f = failed[i] as number
    const cost = fromMicros(agg.costMicros)
    return {
      timestamp: iso(from),
      tasks_completed: c,
      tasks_failed: f,
      success_rate: percent(c, c + f),
      error_rate: errorRate(agg),
      avg_duration_ms: average(durations[i] as number[]),
      cost: round6(cost),
      cost_per_task: c === 0 ? null : round6(cost / c),
      error_count: agg.actionFailed + agg.taskFailed,
      throughput: c,
      llm_call_count: agg.calls,
      tokens_in: agg.tokensIn,
      tokens_out: agg.tokensOut,
    }
  })
}

/** The window's task_completed durations, split by bucket. */
export function bucketDurations(tasks: TaskFigures, bounds: ReadonlyArray<[number, number]>): number[][] {
  const out = Array.from({ length: bounds.length }, () => [] as number[])
  if (bounds.length === 0) return out
  for (let i = 0; i < tasks.durations.length; i++) {
    out[bucketIndex(bounds, tasks.durationTimes[i] as number)]?.push(tasks.durations[i] as number)
  }
  return out
}

export function metricsGroups(reader: WindowReader, req: MetricsRequest, tasks: TaskFigures) {
  if (req.groupBy === undefined) return null
  const b = costBreakdown(reader, req.from, req.to, req.filter)
  const keyName = req.groupBy === 'agent' ? 'agent_id' : req.groupBy === 'model' ? 'model' : 'project_id'
  const groups =
    req.groupBy === 'agent'
      ? b.byAgent
      : req.groupBy === 'model'
        ? b.byModel
        : byEffectiveProject(b.byProject, req.effectiveProject)
  const counts = new Map<string | null, { c: number; f: number }>()
  if (req.groupBy !== 'model') {
    const count = (i: number, field: 'c' | 'f') => {
      const e = tasks.markers.record(i)
      const k = req.groupBy === 'agent' ? e.agentId : req.effectiveProject(e.projectId)
      const row = counts.get(k) ?? { c: 0, f: 0 }
      row[field]++
      counts.set(k, row)
      if (!groups.has(k)) addTo(groups, k, emptyAgg())
    }
    for (const e of tasks.completed) count(e, 'c')
    for (const e of tasks.failed) count(e, 'f')
  }
  return [...groups.entries()]
    .map(([key, agg]) => {
      const t = counts.get(key) ?? { c: 0, f: 0 }
      return {
        [keyName]: key,
        tasks_completed: t.c,
        tasks_failed: t.f,
        success_rate: percent(t.c, t.c + t.f),
        total_cost: round6(fromMicros(agg.costMicros)),
        llm_call_count: agg.calls,
        tokens_in: agg.tokensIn,
        tokens_out: agg.tokensOut,
      }
    })
    .sort((a, b) => b.total_cost - a.total_cost || String(a[keyName] ?? '').localeCompare(String(b[keyName] ?? '')))
}

/** The whole `GET /v1/metrics` body. */
export function metrics(reader: WindowReader, req: MetricsRequest) {
  const tasks = taskFigures(reader.markers(req.from, req.to, req.filter))
  const agg = reader.sum(req.from, req.to, req.filter)
  const series = metricsTimeseries(reader, req, tasks)
  return {
    range: req.range,
    interval: req.interval,
    summary: metricsSummary(reader, req, tasks, agg),
    timeseries: series,
    groups: metricsGroups(reader, req, tasks),
  }
}
