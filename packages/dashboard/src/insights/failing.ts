/** D56 failing actions and failed plan steps, grouped in the browser from bounded event scans. Pure. */
import type { WireEvent } from '@hiveboard/shared'

export interface FailingAction {
  action: string
  exception_type: string
  count: number
}

export interface FailedStep {
  step: string
  count: number
}

function field(e: WireEvent, name: string): string | null {
  const p = e.payload
  if (p === null || p === undefined) return null
  const direct = p[name]
  if (typeof direct === 'string' && direct !== '') return direct
  const data = p.data
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const nested = data[name]
    if (typeof nested === 'string' && nested !== '') return nested
  }
  return null
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return counts
}

/** `action_failed` events by action name and `exception_type` (§17 #24, #27): most frequent first. */
export function failingActions(events: readonly WireEvent[]): FailingAction[] {
  const failed = events.filter((e) => e.event_type === 'action_failed')
  const key = (e: WireEvent) =>
    JSON.stringify([field(e, 'action_name') ?? e.action_id ?? '—', field(e, 'exception_type') ?? '—'])
  return [...countBy(failed, key)]
    .map(([k, count]) => {
      const [action, exception_type] = JSON.parse(k) as [string, string]
      return { action, exception_type, count }
    })
    .sort((a, b) => b.count - a.count || a.action.localeCompare(b.action))
}

/** `plan_step` events with action `failed`, by step text (summary, else "Step i+1"). */
export function failedPlanSteps(events: readonly WireEvent[]): FailedStep[] {
  const failed = events.filter((e) => {
    const data = e.payload?.data
    return (
      e.payload?.kind === 'plan_step' &&
      typeof data === 'object' &&
      data !== null &&
      !Array.isArray(data) &&
      data.action === 'failed'
    )
  })
  const text = (e: WireEvent) => {
    const summary = e.payload?.summary
    if (typeof summary === 'string' && summary !== '') return summary
    const data = e.payload?.data as { step_index?: unknown } | undefined
    return typeof data?.step_index === 'number' ? `Step ${data.step_index + 1}` : 'Unnamed step'
  }
  return [...countBy(failed, text)]
    .map(([step, count]) => ({ step, count }))
    .sort((a, b) => b.count - a.count || a.step.localeCompare(b.step))
}
