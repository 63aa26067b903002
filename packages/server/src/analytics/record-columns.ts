import { isAfter, upperBound } from '../projection/order.js'
import { firstAffectedIndex } from '../projection/prune-rules.js'
import type { EventRecord } from '../projection/stored-event.js'

export type ColumnArray = Float64Array | Int32Array | Uint8Array

/** One typed column: how to allocate it and the figure it keeps of each record. */
export interface ColumnSpec<A extends ColumnArray = ColumnArray> {
  readonly make: (capacity: number) => A
  readonly of: (record: EventRecord) => number
}

export type ColumnSpecs = Record<string, ColumnSpec>

type Arrays<S extends ColumnSpecs> = { [K in keyof S]: ReturnType<S[K]['make']> }

/** A window of the records as columns: views over the typed arrays, plus the record behind each row. */
export type ColumnWindow<S extends ColumnSpecs> = Arrays<S> & {
  readonly length: number
  readonly ts: Float64Array
  record(i: number): EventRecord
}

export const float64 = (of: (record: EventRecord) => number): ColumnSpec<Float64Array> => ({
  make: (n) => new Float64Array(n),
  of,
})
export const int32 = (of: (record: EventRecord) => number): ColumnSpec<Int32Array> => ({
  make: (n) => new Int32Array(n),
  of,
})
export const uint8 = (of: (record: EventRecord) => number): ColumnSpec<Uint8Array> => ({
  make: (n) => new Uint8Array(n),
  of,
})

/**
 * Records in canonical order with a few figures of each kept in typed arrays beside them (struct of arrays).
 * A window query that walks thousands of records reads the columns instead of one EventRecord each, every
 * record a cache miss: task markers for `/v1/metrics`, call costs for the insights' top calls.
 */
export class RecordColumns<S extends ColumnSpecs> {
  readonly records: EventRecord[] = []
  private ts = new Float64Array(1024)
  private columns: Arrays<S>
  private readonly specs: Array<[keyof S, ColumnSpec]>

  constructor(specs: S) {
    this.specs = Object.entries(specs)
    this.columns = this.mapColumns((_name, spec) => spec.make(1024))
  }

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
      for (const column of this.arrays()) column.copyWithin(at + 1, at, n)
    }
    this.ts[at] = record.ts
    for (const [name, spec] of this.specs) this.columns[name][at] = spec.of(record)
  }

  /** Drops the removed records, keeping order (retention); `candidates` bound where the first one can be. */
  removeMany(removed: ReadonlySet<EventRecord>, candidates: Iterable<EventRecord> = removed): void {
    const arrays = this.arrays()
    const from = firstAffectedIndex(this.records, candidates)
    let kept = from
    for (let i = from; i < this.records.length; i++) {
      const record = this.records[i] as EventRecord
      if (removed.has(record)) continue
      if (kept !== i) {
        this.records[kept] = record
        for (const column of arrays) column[kept] = column[i] as number
      }
      kept++
    }
    this.records.length = kept
  }

  /** The records with ts in [from, to): views over the columns, nothing copied. */
  window(from: number, to: number): ColumnWindow<S> {
    const lo = lowerBound(this.ts, this.length, from)
    const hi = lowerBound(this.ts, this.length, to)
    const records = this.records
    const views = this.mapColumns((name) => this.columns[name].subarray(lo, hi))
    return Object.assign(views, {
      length: hi - lo,
      ts: this.ts.subarray(lo, hi),
      record: (i: number) => records[lo + i] as EventRecord,
    })
  }

  /** The whole of an ordered record list as columns (filtered windows, the raw reference reader). */
  static of<S extends ColumnSpecs>(specs: S, records: readonly EventRecord[]): ColumnWindow<S> {
    const columns = new RecordColumns(specs)
    for (const record of records) columns.insert(record)
    return columns.window(-Infinity, Infinity)
  }

  private arrays(): ColumnArray[] {
    return [this.ts, ...(Object.values(this.columns) as ColumnArray[])]
  }

  private reserve(size: number): void {
    if (size <= this.ts.length) return
    const capacity = Math.max(size, this.ts.length * 2)
    this.ts = grown(this.ts, new Float64Array(capacity))
    this.columns = this.mapColumns((name, spec) => grown(this.columns[name], spec.make(capacity)))
  }

  /** One array per column, made by `make`. */
  private mapColumns(make: (name: keyof S, spec: ColumnSpec) => ColumnArray): Arrays<S> {
    const out = {} as Arrays<S>
    for (const [name, spec] of this.specs) out[name] = make(name, spec) as Arrays<S>[keyof S]
    return out
  }
}

function grown<A extends ColumnArray>(from: ColumnArray, to: A): A {
  to.set(from)
  return to
}

/** First index below `length` whose timestamp is ≥ at. */
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
