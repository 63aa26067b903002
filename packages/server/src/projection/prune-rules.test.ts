import { describe, expect, it } from 'vitest'
import { pruneKind, ttlCutoff } from './prune-rules.js'

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
