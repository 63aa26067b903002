import { describe, expect, it } from 'vitest'
import { pruneKind, removeOrdered, ttlCutoff } from './prune-rules.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')

describe('prune rules (E121)', () => {
  it('when an event is older than retention, then it is TTL, checked before cold', () => {
    const cutoff = ttlCutoff(NOW, 7, null)
    expect(pruneKind({ ts: cutoff - 1, eventType: 'heartbeat' }, NOW, cutoff)).toBe('ttl')
    expect(pruneKind({ ts: cutoff, eventType: 'task_completed' }, NOW, cutoff)).toBeNull()
  })

  it('when pruned_before is later than the plan cutoff, then it wins', () => {
    expect(ttlCutoff(NOW, 90, NOW - 1000)).toBe(NOW - 1000)
  })

  it('when heartbeats and action_started age, then only past their strict limits they are cold', () => {
    const cutoff = ttlCutoff(NOW, 7, null)
    expect(pruneKind({ ts: NOW - 600_000, eventType: 'heartbeat' }, NOW, cutoff)).toBeNull()
    expect(pruneKind({ ts: NOW - 600_001, eventType: 'heartbeat' }, NOW, cutoff)).toBe('cold')
    expect(pruneKind({ ts: NOW - 86_400_000, eventType: 'action_started' }, NOW, cutoff)).toBeNull()
    expect(pruneKind({ ts: NOW - 86_400_001, eventType: 'action_started' }, NOW, cutoff)).toBe('cold')
    expect(pruneKind({ ts: NOW - 86_400_001, eventType: 'action_completed' }, NOW, cutoff)).toBeNull()
  })
})

describe('removeOrdered', () => {
  it('when any mix of items is removed, including ones the list does not hold, then the rest stay in order', () => {
    let seed = 3
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    for (let trial = 0; trial < 200; trial++) {
      const items = Array.from({ length: Math.floor(random() * 60) }, (_, seq) => ({
        ts: 1_000 + Math.floor(seq / 3),
        seq,
      }))
      const strangers = [
        { ts: 999, seq: -1 },
        { ts: 1_010, seq: 1_000 },
      ].filter(() => random() < 0.3)
      const removed = new Set([...items.filter(() => random() < (trial % 2 === 0 ? 0.05 : 0.5)), ...strangers])
      const expected = items.filter((item) => !removed.has(item))
      removeOrdered(items, removed)
      expect(items).toEqual(expected)
    }
  })
})
