import { insertOrdered } from '../projection/order.js'
import { earliestOf, removeOrdered } from '../projection/prune-rules.js'
import type { EventRecord } from '../projection/stored-event.js'
import { addRecord, dimKey, emptyAgg, toMicros, type Agg, type Dims } from './agg.js'
import { isTaskMarker, MarkerColumns } from './marker-columns.js'
import { float64, RecordColumns, type ColumnWindow } from './record-columns.js'
import { emptySummary, summaryAdd, type Summary } from './summary.js'
import { bucketStart, HOUR_MS, MINUTE_MS } from './bucket-math.js'

export interface DimCell extends Dims {
  agg: Agg
  /** Task number (EventRecord.taskNo) → its non-heartbeat events (distinct-task counts, E67). */
  tasks: Map<number, number>
}

export type Cell = Map<string, DimCell>

/** What a scan of llm calls reads without the records: each call's cost (insights' top calls). */
export const LLM_COLUMNS = { costMicros: float64((r) => toMicros(r.llm?.cost ?? null)) }
export type LlmWindow = ColumnWindow<typeof LLM_COLUMNS>

/**
 * Incremental aggregates of one namespace (events.md E84): hourly cells split by agent, project,
 * environment and model, plus ordered lists of llm calls and task markers; window edges (under an hour)
 * are read from the events (window-reader.ts). 5-minute cells were tried and dropped: at a million events
 * they cost ~130 MiB and ~3 µs of start-up per event, for edges that scan in ~1 ms. Fed every event
 * applied to the namespace and every event removed by retention, so it always equals the visible events.
 */
export class Rollups {
  readonly hours = new BucketMap<Cell>()
  /** Whole-namespace figures per hour (unfiltered queries read these instead of every dimension). */
  readonly hourSummaries = new BucketMap<Summary>()
  /**
   * Whole-namespace totals per minute. Series buckets are not clock-aligned (api.md §1.5), so every bucket
   * boundary cuts an hour; these make such a cut cost at most 59 lookups plus under a minute of events.
   * One small object per minute with events (~10k for a week), not per dimension.
   */
  readonly minuteTotals = new BucketMap<Agg>()
  readonly llmCalls = new RecordColumns(LLM_COLUMNS)
  /** Task markers as columns (task figures read ~14k of them per 24 h window). */
  readonly markers = new MarkerColumns()
  /** Error-severity events (insights error_types). */
  readonly errors: EventRecord[] = []
  /** Heartbeats and action_started still visible: the only events cold pruning can remove (E121). */
  readonly cold: EventRecord[] = []
  private readonly dims = new DimsCache()

  apply(record: EventRecord): void {
    this.update(record, 1)
    if (record.llm !== null) this.llmCalls.insert(record)
    if (isTaskMarker(record.eventType)) this.markers.insert(record)
    if (record.severity === 'error') insertOrdered(this.errors, record)
    if (record.eventType === 'heartbeat' || record.eventType === 'action_started') insertOrdered(this.cold, record)
  }

  /** Retention removed these events: rollups then equal the remaining events (see README). */
  removeMany(removed: ReadonlySet<EventRecord>, earliest: readonly EventRecord[] = earliestOf(removed)): void {
    for (const record of removed) this.update(record, -1)
    // Every list compacts from the earliest removed event on (`earliest`: it, or nothing).
    for (const list of [this.errors, this.cold]) removeOrdered(list, removed, earliest)
    this.markers.removeMany(removed, earliest)
    this.llmCalls.removeMany(removed, earliest)
  }

  private update(record: EventRecord, sign: 1 | -1): void {
    const { dims, key } = this.dims.of(record)
    const hourAt = bucketStart(record.ts, HOUR_MS)
    const hour = this.dimCell(hourAt, key, dims)
    addRecord(hour.agg, record, sign)
    if (record.taskNo >= 0 && record.eventType !== 'heartbeat') {
      const n = (hour.tasks.get(record.taskNo) ?? 0) + sign
      if (n > 0) hour.tasks.set(record.taskNo, n)
      else hour.tasks.delete(record.taskNo)
    }
    if (sign < 0) dropIfEmpty(this.hours, hourAt, key)
    let summary = this.hourSummaries.get(hourAt)
    if (summary === undefined) this.hourSummaries.set(hourAt, (summary = emptySummary()))
    summaryAdd(summary, dims, record, sign)
    const minuteAt = bucketStart(record.ts, MINUTE_MS)
    let minute = this.minuteTotals.get(minuteAt)
    if (minute === undefined) this.minuteTotals.set(minuteAt, (minute = emptyAgg()))
    addRecord(minute, record, sign)
    if (sign < 0 && minute.events === 0 && minute.heartbeats === 0) this.minuteTotals.delete(minuteAt)
  }

  /** The shared Dims of a record's (agent, project, environment, model). */
  dimsOf(record: EventRecord): Dims {
    return this.dims.of(record).dims
  }

  private dimCell(at: number, key: string, dims: Dims): DimCell {
    let cell = this.hours.get(at)
    if (cell === undefined) {
      cell = new Map()
      this.hours.set(at, cell)
    }
    let dimCell = cell.get(key)
    if (dimCell === undefined) {
      dimCell = { ...dims, agg: emptyAgg(), tasks: new Map() }
      cell.set(key, dimCell)
    }
    return dimCell
  }
}

function dropIfEmpty(cells: Map<number, Cell>, at: number, key: string): void {
  const cell = cells.get(at)
  const dimCell = cell?.get(key)
  if (cell === undefined || dimCell === undefined || dimCell.agg.events !== 0 || dimCell.agg.heartbeats !== 0) return
  cell.delete(key)
  if (cell.size === 0) cells.delete(at)
}

interface DimsEntry {
  dims: Dims
  key: string
}

/**
 * One shared Dims object per (agent, project, environment, model): ingest looks it up through nested maps
 * of interned strings instead of building and hashing a composite key string per event.
 */
class DimsCache {
  private readonly byAgent = new Map<string, Map<string | null, Map<string, Map<string | null, DimsEntry>>>>()

  of(record: EventRecord): DimsEntry {
    const model = record.llm?.model ?? null
    const byProject = child(this.byAgent, record.agentId)
    const byEnvironment = child(byProject, record.projectId)
    const byModel = child(byEnvironment, record.environment)
    let entry = byModel.get(model)
    if (entry === undefined) {
      const dims: Dims = {
        agentId: record.agentId,
        projectId: record.projectId,
        environment: record.environment,
        model,
      }
      byModel.set(model, (entry = { dims, key: dimKey(dims) }))
    }
    return entry
  }
}

function child<K, V extends Map<unknown, unknown>>(parent: Map<K, V>, key: K): V {
  let map = parent.get(key)
  if (map === undefined) parent.set(key, (map = new Map() as V))
  return map
}

/**
 * A map from bucket start (epoch ms) with a one-entry lookup cache: events arrive nearly in time order,
 * so consecutive lookups almost always hit the same bucket and skip hashing a fresh heap number.
 */
export class BucketMap<V> extends Map<number, V> {
  private lastKey = Number.NaN
  private lastValue: V | undefined = undefined

  override get(key: number): V | undefined {
    if (key === this.lastKey) return this.lastValue
    const value = super.get(key)
    this.lastKey = key
    this.lastValue = value
    return value
  }

  override set(key: number, value: V): this {
    super.set(key, value)
    if (key === this.lastKey) this.lastValue = value
    return this
  }

  override delete(key: number): boolean {
    if (key === this.lastKey) this.lastKey = Number.NaN
    return super.delete(key)
  }

  override clear(): void {
    this.lastKey = Number.NaN
    super.clear()
  }
}
