import type { EventRecord } from '../projection/stored-event.js'

/** Task outcomes over a window's marker events (events.md E67, E69). */
export interface TaskFigures {
  /** task_id → its latest task_completed in the window. */
  completed: Map<string, EventRecord>
  /** task_id → its latest task_failed, for tasks without a task_completed in the window. */
  failed: Map<string, EventRecord>
  /** Tasks with an escalated event and no terminal event in the window (E67). */
  escalated: Set<string>
  /** Tasks with any escalated event (insights escalation_rate). */
  escalatedAny: Set<string>
  /** Tasks with any approval event (insights human_intervention_rate). */
  human: Set<string>
  /** Numeric durations of the window's task_completed events, ascending. */
  durations: number[]
}

export function taskFigures(markers: readonly EventRecord[]): TaskFigures {
  const completed = new Map<string, EventRecord>()
  const failed = new Map<string, EventRecord>()
  const escalatedAny = new Set<string>()
  const human = new Set<string>()
  const durations: number[] = []
  for (const e of markers) {
    if (e.eventType === 'task_completed' && e.durationMs !== null) durations.push(e.durationMs)
    if (e.taskId === null) continue
    // Markers are in canonical order, so the last write is the latest event.
    if (e.eventType === 'task_completed') completed.set(e.taskId, e)
    else if (e.eventType === 'task_failed') failed.set(e.taskId, e)
    else if (e.eventType === 'escalated') escalatedAny.add(e.taskId)
    else human.add(e.taskId)
  }
  // Failed tasks are few: check them against completed rather than the other way round.
  for (const id of [...failed.keys()]) if (completed.has(id)) failed.delete(id)
  const escalated = new Set([...escalatedAny].filter((id) => !completed.has(id) && !failed.has(id)))
  // A typed array sorts numerically without a comparator call per step.
  return {
    completed,
    failed,
    escalated,
    escalatedAny,
    human,
    durations: Array.from(Float64Array.from(durations).sort()),
  }
}

/** Nearest rank: the value at rank ceil(p/100 × n) ascending, null when empty (E69). */
export function percentile(sortedAsc: readonly number[], p: number): number | null {
  if (sortedAsc.length === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAsc.length))
  return sortedAsc[rank - 1] as number
}

export function average(values: readonly number[]): number | null {
  if (values.length === 0) return null
  let sum = 0
  for (const v of values) sum += v
  return Math.round(sum / values.length)
}
