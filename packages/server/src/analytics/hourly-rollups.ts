import type { JsonObject } from '@hiveboard/shared'
import { isAfter } from '../projection/order.js'
import { payloadData, type EventRecord } from '../projection/stored-event.js'
import { toMicros } from './agg.js'
import { bucketStart, HOUR_MS } from './bucket-math.js'
import { beats, bump, emptyAgentHour, emptyModelHour, type AgentHour, type ModelHour } from './hourly-cells.js'

/** UTC day (`YYYY-MM-DD`) of an instant: the rollup day file it belongs to (events.md E130). */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

/**
 * The persistent hourly rollups of events.md E84 (`agent_hourly`, `model_hourly`) of one namespace.
 * Unlike the query cells of `Rollups`, these are only ever incremented: retention removing raw events
 * leaves them untouched (E85, E124), they are checkpointed per day file with a watermark (E133) and
 * deleted by whole day after `rollup_retention_days` (E126).
 */
export class HourlyRollups {
  readonly agentHourly = new Map<number, Map<string, AgentHour>>()
  readonly modelHourly = new Map<number, Map<string, ModelHour>>()
  /** Highest seq applied (the watermark a checkpoint written now carries). */
  watermark = 0
  /** Days changed since their last checkpoint. */
  readonly dirtyDays = new Set<string>()
  /**
   * The tenant's TTL horizon (`pruned_before`): hours before it are closed. An event re-sent after
   * retention removed its first copy is stored again (E26) but must not be counted twice (E85).
   */
  frozenBefore = Number.NEGATIVE_INFINITY
  private lastHour = Number.NaN
  private lastDay = ''
  /** At start: the watermark of each day file loaded; lines at or below it are already counted. */
  private readonly loaded = new Map<string, number>()

  /** Installs one checkpointed day (start only, before any line is applied). */
  loadDay(
    day: string,
    watermark: number,
    agents: Map<number, Map<string, AgentHour>>,
    models: Map<number, Map<string, ModelHour>>,
  ): void {
    this.loaded.set(day, watermark)
    this.watermark = Math.max(this.watermark, watermark)
    for (const [hour, rows] of agents) this.agentHourly.set(hour, rows)
    for (const [hour, rows] of models) this.modelHourly.set(hour, rows)
  }

  /** Days whose checkpoint was loaded at start. */
  loadedDays(): ReadonlySet<string> {
    return new Set(this.loaded.keys())
  }

  apply(record: EventRecord, payload: JsonObject | null): void {
    this.watermark = Math.max(this.watermark, record.seq)
    if (Number.isNaN(record.ts) || record.ts < this.frozenBefore) return
    const hour = bucketStart(record.ts, HOUR_MS)
    // Formatting a date per event cost ~0.8 s of a million-event start; events arrive nearly in hour order.
    if (hour !== this.lastHour) {
      this.lastHour = hour
      this.lastDay = dayOf(hour)
    }
    const day = this.lastDay
    const checkpointed = this.loaded.get(day)
    if (checkpointed !== undefined && record.seq <= checkpointed) return // E137 step 4
    this.dirtyDays.add(day)
    this.applyAgent(this.agentRow(hour, record.agentId), record, payload)
    if (record.llm !== null) this.applyModel(hour, record)
  }

  private agentRow(hour: number, agentId: string): AgentHour {
    let rows = this.agentHourly.get(hour)
    if (rows === undefined) this.agentHourly.set(hour, (rows = new Map<string, AgentHour>()))
    let row = rows.get(agentId)
    if (row === undefined) rows.set(agentId, (row = emptyAgentHour()))
    return row
  }

  private applyAgent(row: AgentHour, record: EventRecord, payload: JsonObject | null): void {
    row.event_count++
    const top = payload ?? {}
    switch (record.eventType) {
      case 'heartbeat':
        row.heartbeat_count++
        // E124: one payload sample per hour, preferring heartbeats with a payload, then the latest.
        if (payload !== null && isAfter(record, at(row.last_heartbeat_at))) {
          row.last_heartbeat_payload = payload
          row.last_heartbeat_at = [record.ts, record.seq]
        }
        return
      case 'task_started':
        row.tasks_started++
        return
      case 'task_completed':
      case 'task_failed':
        if (record.eventType === 'task_completed') row.tasks_completed++
        else {
          row.tasks_failed++
          bump(row.errors_by_type, text(top['exception_type']) ?? 'task_failed')
        }
        if (record.durationMs !== null) {
          row.task_duration_sum_ms += record.durationMs
          row.task_duration_count++
        }
        return
      case 'action_started':
        row.actions_started++
        return
      case 'action_completed':
      case 'action_failed':
        if (record.eventType === 'action_completed') row.actions_completed++
        else {
          row.actions_failed++
          bump(row.errors_by_type, text(top['exception_type']) ?? 'action_failed')
        }
        bump(row.actions_by_name, text(top['action_name']) ?? 'unknown')
        return
      case 'retry_started':
        row.retries++
        return
      case 'escalated':
        row.escalations++
        return
      case 'approval_requested':
        row.approvals_requested++
        return
      case 'approval_received':
        row.approvals_received++
        return
      default:
        this.applyCustom(row, record, payload)
    }
  }

  private applyCustom(row: AgentHour, record: EventRecord, payload: JsonObject | null): void {
    const llm = record.llm
    if (llm !== null) {
      row.llm_call_count++
      row.llm_tokens_in += llm.tokensIn
      row.llm_tokens_out += llm.tokensOut
      row.llm_cost_micros += toMicros(llm.cost)
      if (beats(llm.tokensIn, llm.name, row.llm_max_tokens_in, row.llm_max_tokens_in_call)) {
        row.llm_max_tokens_in = llm.tokensIn
        row.llm_max_tokens_in_call = llm.name
      }
      bump(row.models, llm.model)
      bump(row.calls_by_name, llm.name)
      return
    }
    if (record.kind !== 'issue') return
    const data = payloadData(payload) ?? {}
    const action = text(data['action']) ?? 'reported'
    if (action === 'reported') {
      row.issues_reported++
      bump(row.errors_by_category, text(data['category']) ?? 'other')
    } else if (action === 'resolved') row.issues_resolved++
  }

  private applyModel(hour: number, record: EventRecord): void {
    const llm = record.llm
    if (llm === null) return
    let rows = this.modelHourly.get(hour)
    if (rows === undefined) this.modelHourly.set(hour, (rows = new Map<string, ModelHour>()))
    let row = rows.get(llm.model)
    if (row === undefined) rows.set(llm.model, (row = emptyModelHour()))
    row.call_count++
    row.tokens_in += llm.tokensIn
    row.tokens_out += llm.tokensOut
    row.cost_micros += toMicros(llm.cost)
    if (llm.durationMs !== null) {
      row.duration_sum_ms += llm.durationMs
      row.duration_count++
    }
    const label = `${record.agentId}\u0000${llm.name}`
    const best = row.max_tokens_in_agent === null ? null : `${row.max_tokens_in_agent}\u0000${row.max_tokens_in_call}`
    if (beats(llm.tokensIn, label, row.max_tokens_in, best)) {
      row.max_tokens_in = llm.tokensIn
      row.max_tokens_in_agent = record.agentId
      row.max_tokens_in_call = llm.name
    }
    bump(row.agents, record.agentId)
    bump(row.calls_by_name, llm.name)
  }

  /** Every hour of one day: what its checkpoint file holds. */
  day(day: string): { agents: Map<number, Map<string, AgentHour>>; models: Map<number, Map<string, ModelHour>> } {
    const pick = <T>(all: Map<number, T>): Map<number, T> => new Map([...all].filter(([hour]) => dayOf(hour) === day))
    return { agents: pick(this.agentHourly), models: pick(this.modelHourly) }
  }

  /** E126: forgets whole days before `firstKeptDay` (`YYYY-MM-DD`); returns the days dropped. */
  dropDaysBefore(firstKeptDay: string): string[] {
    const dropped = new Set<string>()
    for (const hours of [this.agentHourly, this.modelHourly] as Array<Map<number, unknown>>) {
      for (const hour of hours.keys()) {
        const day = dayOf(hour)
        if (day < firstKeptDay) {
          hours.delete(hour)
          dropped.add(day)
        }
      }
    }
    for (const day of dropped) this.dirtyDays.delete(day)
    return [...dropped]
  }
}

function at(pair: [number, number] | null): { ts: number; seq: number } | null {
  return pair === null ? null : { ts: pair[0], seq: pair[1] }
}
