import { lowerBoundTs } from '../projection/order.js'
import type { NamespaceView } from '../projection/namespace.js'
import type { EventRecord } from '../projection/stored-event.js'
import {
  addRecord,
  dimsOf,
  emptyAgg,
  isEmptyFilter,
  matches,
  mergeAgg,
  recordMatches,
  type Agg,
  type Dims,
  type Filter,
} from './agg.js'
import { decompose, HOUR_MS, MINUTE_MS } from './bucket-math.js'
import { isTaskMarker, MarkerColumns, type MarkerWindow } from './marker-columns.js'
import { LLM_COLUMNS, type Cell, type LlmWindow } from './rollups.js'
import { RecordColumns } from './record-columns.js'
import type { Summary } from './summary.js'
import { taskMarks } from './task-marks.js'

export type Visitor = (dims: Dims, agg: Agg) => void

/**
 * Reads windows `[from, to)` of one namespace. With `raw` it ignores every rollup and scans the events:
 * the reference the consistency test compares against. Otherwise whole hours come from the hourly rollups
 * and only the ragged edges (under an hour each) are scanned, so work is bounded whatever the store size.
 */
export class WindowReader {
  constructor(
    private readonly ns: NamespaceView,
    private readonly raw = false,
  ) {}

  /** The events of [from, to), narrowed to one agent's list when the filter names one. */
  private scan(from: number, to: number, filter: Filter, fn: (e: EventRecord) => void): void {
    const events = filter.agentId === undefined ? this.ns.events : (this.ns.agents.get(filter.agentId)?.events ?? [])
    this.scanList(events, from, to, filter, fn)
  }

  private scanList(
    list: readonly EventRecord[],
    from: number,
    to: number,
    filter: Filter,
    fn: (e: EventRecord) => void,
  ): void {
    const all = isEmptyFilter(filter)
    for (let i = lowerBoundTs(list, from); i < list.length; i++) {
      const e = list[i] as EventRecord
      if (e.ts >= to) break
      if (all || recordMatches(e, filter)) fn(e)
    }
  }

  private scanSorted(list: readonly EventRecord[], from: number, to: number, filter: Filter): EventRecord[] {
    // Unfiltered: two binary searches and one copy of pointers, without touching each record (a window's
    // ~14k markers cost ~2 ms to walk one by one, every record a cache miss).
    if (isEmptyFilter(filter)) return list.slice(lowerBoundTs(list, from), lowerBoundTs(list, to))
    const out: EventRecord[] = []
    this.scanList(list, from, to, filter, (e) => out.push(e))
    return out
  }

  /**
   * A ragged edge scanned from the events, handed to `fn` once per dimension tuple (not once per event).
   * With `llmOnly` only llm_call events are read (from the ordered llm list): enough for cost figures.
   */
  private visitScanned(from: number, to: number, filter: Filter, fn: Visitor, llmOnly: boolean): void {
    const byDims = new Map<Dims, Agg>()
    const add = (e: EventRecord): void => {
      const dims = this.ns.rollups.dimsOf(e)
      let agg = byDims.get(dims)
      if (agg === undefined) byDims.set(dims, (agg = emptyAgg()))
      addRecord(agg, e, 1)
    }
    if (llmOnly) this.scanList(this.ns.rollups.llmCalls.records, from, to, filter, add)
    else this.scan(from, to, filter, add)
    for (const [dims, agg] of byDims) fn(dims, agg)
  }

  visit(from: number, to: number, filter: Filter, fn: Visitor): void {
    if (this.raw) {
      this.scan(from, to, filter, (e) => {
        const agg = emptyAgg()
        addRecord(agg, e, 1)
        fn(dimsOf(e), agg)
      })
      return
    }
    for (const piece of decompose(from, to, [HOUR_MS])) {
      if (piece.sizeMs === 0) this.visitScanned(piece.from, piece.to, filter, fn, false)
      else for (let at = piece.from; at < piece.to; at += HOUR_MS) visitCell(this.ns.rollups.hours.get(at), filter, fn)
    }
  }

  /**
   * The llm_call contributions of the window (cost figures): an unfiltered whole hour is handed over as its
   * precomputed summary, so a wide window costs one step per hour instead of one per dimension. Aggs without
   * calls may be visited too; callers skip them.
   */
  visitCosts(from: number, to: number, filter: Filter, onSummary: (s: Summary) => void, fn: Visitor): void {
    if (this.raw) return this.visit(from, to, filter, fn)
    const unfiltered = isEmptyFilter(filter)
    for (const piece of decompose(from, to, [HOUR_MS])) {
      if (piece.sizeMs === 0) {
        this.visitScanned(piece.from, piece.to, filter, fn, true)
        continue
      }
      for (let at = piece.from; at < piece.to; at += HOUR_MS) {
        if (!unfiltered) {
          visitCell(this.ns.rollups.hours.get(at), filter, fn)
          continue
        }
        const summary = this.ns.rollups.hourSummaries.get(at)
        if (summary !== undefined) onSummary(summary)
      }
    }
  }

  sum(from: number, to: number, filter: Filter): Agg {
    const total = emptyAgg()
    if (this.raw || !isEmptyFilter(filter)) {
      this.visit(from, to, filter, (_d, agg) => mergeAgg(total, agg))
      return total
    }
    const { hourSummaries, minuteTotals } = this.ns.rollups
    for (const piece of decompose(from, to, [HOUR_MS, MINUTE_MS])) {
      if (piece.sizeMs === 0) {
        this.scan(piece.from, piece.to, filter, (e) => addRecord(total, e, 1))
        continue
      }
      for (let at = piece.from; at < piece.to; at += piece.sizeMs) {
        const agg = piece.sizeMs === HOUR_MS ? hourSummaries.get(at)?.total : minuteTotals.get(at)
        if (agg !== undefined) mergeAgg(total, agg)
      }
    }
    return total
  }

  /** The number of distinct tasks with a non-heartbeat event in [from, to) (E67 total_tasks). */
  taskCount(from: number, to: number, filter: Filter): number {
    if (this.raw) {
      // The reference keys on task_id strings, independent of the task numbering the rollups use.
      const ids = new Set<string>()
      this.scan(from, to, filter, (e) => {
        if (e.taskId !== null && e.eventType !== 'heartbeat') ids.add(e.taskId)
      })
      return ids.size
    }
    const marks = taskMarks
    marks.begin()
    let count = 0
    const add = (no: number): void => {
      if (marks.raise(no, 1)) count++
    }
    for (const piece of decompose(from, to, [HOUR_MS])) {
      if (piece.sizeMs === 0) {
        this.scan(piece.from, piece.to, filter, (e) => {
          if (e.taskNo >= 0 && e.eventType !== 'heartbeat') add(e.taskNo)
        })
        continue
      }
      for (let at = piece.from; at < piece.to; at += HOUR_MS) {
        if (isEmptyFilter(filter)) {
          for (const no of this.ns.rollups.hourSummaries.get(at)?.tasks.keys() ?? []) add(no)
          continue
        }
        for (const cell of this.ns.rollups.hours.get(at)?.values() ?? []) {
          if (cell.tasks.size > 0 && matches(cell, filter)) {
            for (const no of cell.tasks.keys()) add(no)
          }
        }
      }
    }
    return count
  }

  /** task_completed/failed, escalated and approval events in [from, to), canonical order. */
  markers(from: number, to: number, filter: Filter): MarkerWindow {
    const columns = this.ns.rollups.markers
    if (!this.raw && isEmptyFilter(filter)) return columns.window(from, to)
    const out: EventRecord[] = []
    if (this.raw) {
      this.scan(from, to, filter, (e) => {
        if (isTaskMarker(e.eventType)) out.push(e)
      })
    } else this.scanList(columns.records, from, to, filter, (e) => out.push(e))
    return MarkerColumns.from(out)
  }

  llmCalls(from: number, to: number, filter: Filter): EventRecord[] {
    if (!this.raw) return this.scanSorted(this.ns.rollups.llmCalls.records, from, to, filter)
    const out: EventRecord[] = []
    this.scan(from, to, filter, (e) => {
      if (e.llm !== null) out.push(e)
    })
    return out
  }

  /** The llm calls of [from, to) with their cost column: unfiltered, a view; otherwise built from the calls. */
  llmCallColumns(from: number, to: number, filter: Filter): LlmWindow {
    if (!this.raw && isEmptyFilter(filter)) return this.ns.rollups.llmCalls.window(from, to)
    return RecordColumns.of(LLM_COLUMNS, this.llmCalls(from, to, filter))
  }

  errors(from: number, to: number, filter: Filter): EventRecord[] {
    if (!this.raw) return this.scanSorted(this.ns.rollups.errors, from, to, filter)
    const out: EventRecord[] = []
    this.scan(from, to, filter, (e) => {
      if (e.severity === 'error') out.push(e)
    })
    return out
  }
}

function visitCell(cell: Cell | undefined, filter: Filter, fn: Visitor): void {
  if (cell === undefined) return
  for (const dimCell of cell.values()) if (matches(dimCell, filter)) fn(dimCell, dimCell.agg)
}
