import type { EventRecord } from '../projection/stored-event.js'
import { taskMarks } from './task-marks.js'

/** Task outcomes over a window's marker events (events.md E67, E69). */
export interface TaskFigures {
  /** Each task's latest task_completed in the window, in order of the task's first one. */
  completed: EventRecord[]
  /** Each task's latest task_failed, for tasks without a task_completed in the window. */
  failed: EventRecord[]
  /** Tasks with an escalated event and no terminal event in the window (E67). */
  escalated: number
  /** Tasks with any escalated event (insights escalation_rate). */
  escalatedAny: number
  /** Tasks with any approval event (insights human_intervention_rate). */
  human: number
  /** Numeric durations of the window's task_completed events, in marker order. */
  durations: number[]
  /** The timestamp of each of `durations` (per-bucket averages need it without walking the records again). */
  durationTimes: number[]
}

const COMPLETED = 1
const FAILED = 2
const ESCALATED = 4
const HUMAN = 8

/** One pass over markers in canonical order (so a later write is the later event), keyed by task number. */
export function taskFigures(markers: readonly EventRecord[]): TaskFigures {
  const completed: EventRecord[] = []
  const failedAny: EventRecord[] = []
  const escalatedTasks: number[] = []
  let human = 0
  const durations: number[] = []
  const durationTimes: number[] = []
  const marks = taskMarks
  marks.begin()
  for (const e of markers) {
    if (e.eventType === 'task_completed' && e.durationMs !== null) {
      durations.push(e.durationMs)
      durationTimes.push(e.ts)
    }
    const no = e.taskNo
    if (no < 0) continue
    if (e.eventType === 'task_completed') latest(completed, no, 0, COMPLETED, e)
    else if (e.eventType === 'task_failed') latest(failedAny, no, 1, FAILED, e)
    else if (e.eventType === 'escalated') {
      if (marks.raise(no, ESCALATED)) escalatedTasks.push(no)
    } else if (marks.raise(no, HUMAN)) human++
  }
  const failed = failedAny.filter((e) => (marks.flags(e.taskNo) & COMPLETED) === 0)
  let escalated = 0
  for (const no of escalatedTasks) if ((marks.flags(no) & (COMPLETED | FAILED)) === 0) escalated++
  return {
    completed,
    failed,
    escalated,
    escalatedAny: escalatedTasks.length,
    human,
    durations,
    durationTimes,
  }
}

/** Keeps the latest event per task in `list`: appended the first time, replaced in place after. */
function latest(list: EventRecord[], no: number, slot: 0 | 1, bit: number, e: EventRecord): void {
  if (taskMarks.raise(no, bit)) {
    taskMarks.setSlot(no, slot, list.length)
    list.push(e)
  } else list[taskMarks.slot(no, slot)] = e
}

/**
 * Nearest rank: the value at rank ceil(p/100 × n) in ascending order, null when empty (E69). Found by
 * selection (expected linear time) rather than sorting every duration of the window.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null
  const rank = Math.max(1, Math.ceil((p / 100) * values.length))
  return select(Float64Array.from(values), rank - 1)
}

/** The k-th smallest (0-based) of `a`, reordering `a` in place (Hoare's quickselect, middle pivot). */
function select(a: Float64Array, k: number): number {
  let lo = 0
  let hi = a.length - 1
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1] as number
    let i = lo
    let j = hi
    while (i <= j) {
      while ((a[i] as number) < pivot) i++
      while ((a[j] as number) > pivot) j--
      if (i <= j) {
        const t = a[i] as number
        a[i] = a[j] as number
        a[j] = t
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return a[k] as number
  }
  return a[k] as number
}

export function average(values: readonly number[]): number | null {
  if (values.length === 0) return null
  let sum = 0
  for (const v of values) sum += v
  return Math.round(sum / values.length)
}
