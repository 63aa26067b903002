import { MARKER_COMPLETED, MARKER_ESCALATED, MARKER_FAILED, type MarkerWindow } from './marker-columns.js'
import { taskMarks } from './task-marks.js'

/** Task outcomes over a window's marker events (events.md E67, E69). */
export interface TaskFigures {
  /** The window the indices below point into. */
  markers: MarkerWindow
  /** Each task's latest task_completed in the window (index into `markers`), in order of the task's first one. */
  completed: number[]
  /** Each task's latest task_failed (index into `markers`), for tasks without a task_completed in the window. */
  failed: number[]
  /** Tasks with an escalated event and no terminal event in the window (E67). */
  escalated: number
  /** Tasks with any escalated event (insights escalation_rate). */
  escalatedAny: number
  /** Tasks with any approval event (insights human_intervention_rate). */
  human: number
  /** Numeric durations of the window's task_completed events, in marker order. */
  durations: Float64Array
  /** The timestamp of each of `durations` (per-bucket averages). */
  durationTimes: Float64Array
}

const COMPLETED = 1
const FAILED = 2
const ESCALATED = 4
const HUMAN = 8

/** One pass over markers in canonical order (so a later write is the later event), keyed by task number. */
export function taskFigures(markers: MarkerWindow): TaskFigures {
  const completed: number[] = []
  const failedAny: number[] = []
  const escalatedTasks: number[] = []
  let human = 0
  const { ts, taskNo, kind, durationMs, length } = markers
  const durations = new Float64Array(length)
  const durationTimes = new Float64Array(length)
  let durationCount = 0
  const marks = taskMarks
  marks.begin()
  for (let i = 0; i < length; i++) {
    const k = kind[i] as number
    const duration = durationMs[i] as number
    if (k === MARKER_COMPLETED && !Number.isNaN(duration)) {
      durations[durationCount] = duration
      durationTimes[durationCount++] = ts[i] as number
    }
    const no = taskNo[i] as number
    if (no < 0) continue
    if (k === MARKER_COMPLETED) latest(completed, no, 0, COMPLETED, i)
    else if (k === MARKER_FAILED) latest(failedAny, no, 1, FAILED, i)
    else if (k === MARKER_ESCALATED) {
      if (marks.raise(no, ESCALATED)) escalatedTasks.push(no)
    } else if (marks.raise(no, HUMAN)) human++
  }
  const failed = failedAny.filter((i) => (marks.flags(taskNo[i] as number) & COMPLETED) === 0)
  let escalated = 0
  for (const no of escalatedTasks) if ((marks.flags(no) & (COMPLETED | FAILED)) === 0) escalated++
  return {
    markers,
    completed,
    failed,
    escalated,
    escalatedAny: escalatedTasks.length,
    human,
    durations: durations.subarray(0, durationCount),
    durationTimes: durationTimes.subarray(0, durationCount),
  }
}

/** Keeps the latest marker per task in `list`: appended the first time, replaced in place after. */
function latest(list: number[], no: number, slot: 0 | 1, bit: number, index: number): void {
  if (taskMarks.raise(no, bit)) {
    taskMarks.setSlot(no, slot, list.length)
    list.push(index)
  } else list[taskMarks.slot(no, slot)] = index
}

/**
 * Nearest rank: the value at rank ceil(p/100 × n) in ascending order, null when empty (E69). Found by
 * selection (expected linear time) rather than sorting every duration of the window.
 */
export function percentile(values: ArrayLike<number>, p: number): number | null {
  return percentiles(values, [p])[0] ?? null
}

/**
 * Several nearest-rank percentiles from one scratch copy: each selection leaves the copy a permutation of the
 * values, so the next selection can reuse it.
 */
export function percentiles(values: ArrayLike<number>, ps: readonly number[]): Array<number | null> {
  if (values.length === 0) return ps.map(() => null)
  const scratch = Float64Array.from(values)
  return ps.map((p) => select(scratch, Math.max(1, Math.ceil((p / 100) * values.length)) - 1))
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

export function average(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i] as number
  return Math.round(sum / values.length)
}
