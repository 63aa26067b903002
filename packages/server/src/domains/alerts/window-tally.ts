import { lowerBoundTs } from '../../projection/order.js'
import { llmFacts, type EventRecord, type StoredEvent } from '../../projection/stored-event.js'

/** The fields windowed conditions read, shared by indexed records and just-stored events. */
export type WindowRecord = Pick<
  EventRecord,
  'ts' | 'eventId' | 'eventType' | 'agentId' | 'projectId' | 'environment' | 'group' | 'llm'
>

/** What one record adds to a windowed aggregate (same length for every record), or null. */
export type Contribution = (record: WindowRecord) => readonly number[] | null

/** Running sums over [start, end] (timestamps), with the position they were computed at. */
export interface Tally {
  start: number
  end: number
  sums: number[]
}

export function asWindowRecord(event: StoredEvent): WindowRecord {
  return {
    ts: Date.parse(event.timestamp),
    eventId: event.event_id,
    eventType: event.event_type,
    agentId: event.agent_id,
    projectId: event.project_id,
    environment: event.environment,
    group: event.group,
    llm: llmFacts(event),
  }
}

function addInto(sums: number[], values: readonly number[] | null, sign: 1 | -1): void {
  if (values === null) return
  values.forEach((value, i) => (sums[i] = (sums[i] ?? 0) + sign * value))
}

/** A full scan of the visible events in [start, end]. */
export function scanTally(events: readonly EventRecord[], start: number, end: number, contribute: Contribution): Tally {
  const sums: number[] = []
  for (let i = lowerBoundTs(events, start); i < events.length; i++) {
    const record = events[i] as EventRecord
    if (record.ts > end) break
    addInto(sums, contribute(record), 1)
  }
  return { start, end, sums }
}

/**
 * Moves a tally to [start, end] after one stored batch without rescanning the window: drops what slid out
 * of the front, adds the batch's events inside the new window. Null when it cannot (window moved back or
 * past the old one): the caller rescans. Events dated after an earlier `end` that arrived before it are
 * only picked up by the next full scan (the timer rescans every interval).
 */
export function advanceTally(
  tally: Tally,
  events: readonly EventRecord[],
  window: { start: number; end: number },
  fresh: readonly WindowRecord[],
  contribute: Contribution,
): Tally | null {
  const { start, end } = window
  if (start < tally.start || end < tally.end || start > tally.end) return null
  const sums = [...tally.sums]
  const freshIds = new Set(fresh.map((r) => r.eventId))
  for (let i = lowerBoundTs(events, tally.start); i < events.length; i++) {
    const record = events[i] as EventRecord
    if (record.ts >= start) break
    if (!freshIds.has(record.eventId)) addInto(sums, contribute(record), -1)
  }
  for (const record of fresh) if (record.ts >= start && record.ts <= end) addInto(sums, contribute(record), 1)
  return { start, end, sums }
}
