import type { EventType } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { compareOrdered } from '../projection/order.js'
import type { EventRecord } from '../projection/stored-event.js'
import { MarkerColumns, type MarkerWindow } from './marker-columns.js'

const TYPES: EventType[] = ['task_completed', 'task_failed', 'escalated', 'approval_requested', 'approval_received']
const KINDS: Record<string, number> = {
  task_completed: 1,
  task_failed: 2,
  escalated: 3,
  approval_requested: 4,
  approval_received: 4,
}

function aMarker(seq: number, ts: number, eventType: EventType, taskNo: number, durationMs: number | null) {
  // Only the fields the columns read matter here; the rest of EventRecord is irrelevant to them.
  return { seq, ts, eventType, taskNo, durationMs } as unknown as EventRecord
}

/** The columns as plain rows, so a mismatch shows which marker differs. */
function rows(window: MarkerWindow) {
  return Array.from({ length: window.length }, (_, i) => ({
    ts: window.ts[i],
    taskNo: window.taskNo[i],
    kind: window.kind[i],
    duration: window.durationMs[i],
    record: window.record(i),
  }))
}

function expectedRows(records: EventRecord[]) {
  return records.map((r) => ({
    ts: r.ts,
    taskNo: r.taskNo,
    kind: KINDS[r.eventType],
    duration: r.eventType === 'task_completed' ? (r.durationMs ?? Number.NaN) : Number.NaN,
    record: r,
  }))
}

describe('MarkerColumns', () => {
  it('when markers arrive late and retention removes some, then every column still matches the ordered records', () => {
    let seed = 7
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    const columns = new MarkerColumns()
    const all: EventRecord[] = []
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 150; i++) {
        // mostly near the tail, sometimes far back: both the append and the shifting paths run
        const ts = 1_000_000 + round * 1_000 - Math.floor(random() * (random() < 0.2 ? 20_000 : 50))
        const type = TYPES[Math.floor(random() * TYPES.length)] as EventType
        const duration = random() < 0.3 ? null : Math.floor(random() * 5_000)
        const record = aMarker(all.length, ts, type, Math.floor(random() * 40) - 1, duration)
        all.push(record)
        columns.insert(record)
      }
      const removed = new Set(all.filter(() => random() < 0.1))
      columns.removeMany(removed)
      all.splice(0, all.length, ...all.filter((r) => !removed.has(r)))
      const ordered = [...all].sort(compareOrdered)
      expect(columns.records).toEqual(ordered)
      expect(rows(columns.window(-Infinity, Infinity))).toEqual(expectedRows(ordered))
      const from = 1_000_000 + round * 500
      const to = from + 700
      expect(rows(columns.window(from, to))).toEqual(expectedRows(ordered.filter((r) => r.ts >= from && r.ts < to)))
    }
    expect(columns.length).toBeGreaterThan(1_024) // the columns grew past their first capacity (1,024)
  })

  it('when built from a list, then the window holds every marker of it', () => {
    const records = [aMarker(1, 10, 'task_completed', 0, 5), aMarker(2, 20, 'escalated', 1, null)]
    expect(rows(MarkerColumns.from(records))).toEqual(expectedRows(records))
  })
})
