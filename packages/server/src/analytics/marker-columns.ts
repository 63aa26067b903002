import type { EventType } from '@hiveboard/shared'
import { isAfter, upperBound } from '../projection/order.js'
import type { EventRecord } from '../projection/stored-event.js'

export const MARKER_COMPLETED = 1
export const MARKER_FAILED = 2
export const MARKER_ESCALATED = 3
export const MARKER_APPROVAL = 4

const KIND_OF: Partial<Record<EventType, number>> = {
  task_completed: MARKER_COMPLETED,
  task_failed: MARKER_FAILED,
  escalated: MARKER_ESCALATED,
  approval_requested: MARKER_APPROVAL,
  approval_received: MARKER_APPROVAL,
}

/** Events whose task-level meaning is not additive (E67), kept in canonical order for window scans. */
export function isTaskMarker(type: EventType): boolean {
  return KIND_OF[type] !== undefined
}

/**
 * A window of task markers as columns. Task figures walk ~14k markers per 24 h window; reading them from
 * typed arrays instead of one EventRecord each (every record a cache miss) took `/v1/metrics` from ~12 to
 * ~3 ms at a million events. `record(i)` still gives the event for the few callers that need more.
 */
export interface MarkerWindow {
  readonly length: number
  readonly ts: Float64Array
  readonly taskNo: Int32Array
  readonly kind: Uint8Array
  /** `duration_ms` of task_completed markers, NaN where absent. */
  readonly durationMs: Float64Array
  record(i: number): EventRecord
}

/** The task markers of a namespace in canonical order: the records plus one typed column per figure. */
export class MarkerColumns {
  readonly records: EventRecord[] = []
  private ts = new Float64Array(1024)
  private taskNo = new Int32Array(1024)
  private kind = new Uint8Array(1024)
  private durationMs = new Float64Array(1024)

  get length(): number {
    return this.records.length
  }

  /** Inserts in canonical order (appending is the common case; late events shift the tail). */
  insert(record: EventRecord): void {
    const n = this.records.length
    this.reserve(n + 1)
    const last = this.records[n - 1]
    const at = last === undefined || isAfter(record, last) ? n : upperBound(this.records, record, (x) => x)
    if (at === n) this.records.push(record)
    else {
      this.records.splice(at, 0, record)
      for (const column of this.columns()) column.copyWithin(at + 1, at, n)
    }
    this.write(at, record)
  }

  /** Drops the removed records, keeping order (retention). */
  removeMany(removed: ReadonlySet<EventRecord>): void {
    const columns = this.columns()
    let kept = 0
    for (let i = 0; i < this.records.length; i++) {
      const record = this.records[i] as EventRecord
      if (removed.has(record)) continue
      if (kept !== i) {
        this.records[kept] = record
        for (const column of columns) column[kept] = column[i] as number
      }
      kept++
    }
    this.records.length = kept
  }

  /** The markers with ts in [from, to): views over the columns, nothing copied. */
  window(from: number, to: number): MarkerWindow {
    const lo = lowerBound(this.ts, this.length, from)
    const hi = lowerBound(this.ts, this.length, to)
    const records = this.records
    return {
      length: hi - lo,
      ts: this.ts.subarray(lo, hi),
      taskNo: this.taskNo.subarray(lo, hi),
      kind: this.kind.subarray(lo, hi),
      durationMs: this.durationMs.subarray(lo, hi),
      record: (i) => records[lo + i] as EventRecord,
    }
  }

  /** Columns of an arbitrary ordered record list (filtered windows and the raw reference reader). */
  static of(records: readonly EventRecord[]): MarkerWindow {
    const columns = new MarkerColumns()
    for (const record of records) columns.insert(record)
    return columns.window(-Infinity, Infinity)
  }

  private write(at: number, record: EventRecord): void {
    this.ts[at] = record.ts
    this.taskNo[at] = record.taskNo
    this.kind[at] = KIND_OF[record.eventType] ?? 0
    this.durationMs[at] = record.eventType === 'task_completed' ? (record.durationMs ?? Number.NaN) : Number.NaN
  }

  private columns(): Array<Float64Array | Int32Array | Uint8Array> {
    return [this.ts, this.taskNo, this.kind, this.durationMs]
  }

  private reserve(size: number): void {
    if (size <= this.ts.length) return
    const capacity = Math.max(size, this.ts.length * 2)
    this.ts = grown(this.ts, new Float64Array(capacity))
    this.taskNo = grown(this.taskNo, new Int32Array(capacity))
    this.kind = grown(this.kind, new Uint8Array(capacity))
    this.durationMs = grown(this.durationMs, new Float64Array(capacity))
  }
}

function grown<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from)
  return to
}

/** First index below `length` whose timestamp is ≥ ts. */
function lowerBound(ts: Float64Array, length: number, at: number): number {
  let lo = 0
  let hi = length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((ts[mid] as number) < at) lo = mid + 1
    else hi = mid
  }
  return lo
}
