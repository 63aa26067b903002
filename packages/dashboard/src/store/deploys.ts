/**
 * Deploys (dashboard.md D30; §17 #32 "are agents getting better after deploys?"): versions from `agent_registered`
 * events, and per-task success, duration and cost before/after the latest version change. Pure.
 */
import type { WireEvent, WireTask } from '@hiveboard/shared'

export interface Deploy {
  version: string | null
  at: string
}

export interface TaskFigures {
  tasks: number
  success_rate: number | null
  avg_duration_ms: number | null
  avg_cost: number | null
}

export interface DeployComparison {
  /** Newest first. */
  deploys: Deploy[]
  change: { from: string | null; to: string | null; at: string } | null
  before: TaskFigures
  after: TaskFigures
}

function versionOf(e: WireEvent): string | null {
  const data = e.payload?.data
  const v = typeof data === 'object' && data !== null && !Array.isArray(data) ? data.version : null
  return typeof v === 'string' && v !== '' ? v : null
}

function mean(xs: number[]): number | null {
  return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length
}

/** Over finished tasks: success = completed ÷ (completed + failed), as /v1/metrics. */
export function taskFigures(tasks: readonly WireTask[]): TaskFigures {
  const done = tasks.filter((t) => t.derived_status === 'completed' || t.derived_status === 'failed')
  const completed = done.filter((t) => t.derived_status === 'completed').length
  return {
    tasks: done.length,
    success_rate: done.length === 0 ? null : Math.round((completed / done.length) * 1000) / 10,
    avg_duration_ms: mean(done.map((t) => t.duration_ms).filter((d): d is number => d !== null)),
    avg_cost: mean(done.map((t) => t.total_cost).filter((c): c is number => c !== null)),
  }
}

export function deployComparison(registrations: readonly WireEvent[], tasks: readonly WireTask[]): DeployComparison {
  const ordered = registrations
    .filter((e) => e.event_type === 'agent_registered')
    .map((e) => ({ version: versionOf(e), at: e.timestamp }))
    .sort((a, b) => a.at.localeCompare(b.at))
  let change: DeployComparison['change'] = null
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1]
    const cur = ordered[i]
    if (prev !== undefined && cur !== undefined && prev.version !== cur.version)
      change = { from: prev.version, to: cur.version, at: cur.at }
  }
  const at = change?.at
  return {
    deploys: [...ordered].reverse(),
    change,
    before: taskFigures(at === undefined ? [] : tasks.filter((t) => t.started_at < at)),
    after: taskFigures(at === undefined ? [] : tasks.filter((t) => t.started_at >= at)),
  }
}
