import type { EventType } from '@hiveboard/shared'
import { insertOrdered, upperBound } from '../projection/order.js'
import type { EventRecord } from '../projection/stored-event.js'
import { addRecord, dimKey, dimsOf, emptyAgg, type Agg, type Dims } from './agg.js'
import { bucketStart, HOUR_MS, MINUTE_MS } from './bucket-math.js'

/** The fine cell size: windows are hours + 5-minute cells + raw events at the ragged edges. */
export const FINE_MS = 5 * MINUTE_MS
export const CELL_SIZES: readonly number[] = [HOUR_MS, FINE_MS]

export interface DimCell extends Dims {
  agg: Agg
  /** Hour cells only: task_id → number of non-heartbeat events (distinct-task counts, E67). */
  tasks: Map<string, number> | null
}

export type Cell = Map<string, DimCell>

/** Events whose task-level meaning is not additive, kept in canonical order for window scans. */
export const TASK_MARKERS: ReadonlySet<EventType> = new Set<EventType>([
  'task_completed',
  'task_failed',
  'escalated',
  'approval_requested',
  'approval_received',
])

function removeOrdered(items: EventRecord[], record: EventRecord): void {
  const at = upperBound(items, record, (x) => x) - 1
  if (items[at] === record) items.splice(at, 1)
}

/**
 * Incremental aggregates of one namespace (events.md E84): hourly and 5-minute cells split by agent,
 * project, environment and model, plus ordered lists of llm calls and task markers. Fed every event
 * applied to the namespace and every event removed by retention, so it always equals the visible events.
 */
export class Rollups {
  readonly hours = new Map<number, Cell>()
  readonly fine = new Map<number, Cell>()
  readonly llmCalls: EventRecord[] = []
  readonly markers: EventRecord[] = []
  /** Error-severity events (insights error_types). */
  readonly errors: EventRecord[] = []
  private readonly keys = new Map<string, string>()

  apply(record: EventRecord): void {
    this.update(record, 1)
    if (record.llm !== null) insertOrdered(this.llmCalls, record)
    if (TASK_MARKERS.has(record.eventType)) insertOrdered(this.markers, record)
    if (record.severity === 'error') insertOrdered(this.errors, record)
  }

  remove(record: EventRecord): void {
    this.update(record, -1)
    if (record.llm !== null) removeOrdered(this.llmCalls, record)
    if (TASK_MARKERS.has(record.eventType)) removeOrdered(this.markers, record)
    if (record.severity === 'error') removeOrdered(this.errors, record)
  }

  private update(record: EventRecord, sign: 1 | -1): void {
    const dims = dimsOf(record)
    let key = dimKey(dims)
    key = this.keys.get(key) ?? (this.keys.set(key, key), key)
    const hour = this.dimCell(this.hours, bucketStart(record.ts, HOUR_MS), key, dims, true)
    addRecord(hour.agg, record, sign)
    addRecord(this.dimCell(this.fine, bucketStart(record.ts, FINE_MS), key, dims, false).agg, record, sign)
    if (record.taskId !== null && record.eventType !== 'heartbeat' && hour.tasks !== null) {
      const n = (hour.tasks.get(record.taskId) ?? 0) + sign
      if (n > 0) hour.tasks.set(record.taskId, n)
      else hour.tasks.delete(record.taskId)
    }
  }

  private dimCell(cells: Map<number, Cell>, at: number, key: string, dims: Dims, withTasks: boolean): DimCell {
    let cell = cells.get(at)
    if (cell === undefined) {
      cell = new Map()
      cells.set(at, cell)
    }
    let dimCell = cell.get(key)
    if (dimCell === undefined) {
      dimCell = { ...dims, agg: emptyAgg(), tasks: withTasks ? new Map() : null }
      cell.set(key, dimCell)
    }
    return dimCell
  }
}
