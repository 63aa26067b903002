import { describe, expect, it } from 'vitest'
import { Namespace } from '../../projection/namespace.js'
import { Interner, parseRecord, toRecord, type StoredEvent } from '../../projection/stored-event.js'
import type { AlertRule } from '../../storage/alert-records.js'
import { aStoredEvent } from '../../testing/fixtures.js'
import type { EvalContext, LoopSignature } from './condition-context.js'
import { evaluateLoop, loopSignature } from './loop-detection.js'
import { LoopWindow } from './loop-window.js'
import { parseConditionConfig } from './rule-schema.js'
import { storedProjectIds } from '../projects/project-redirects.js'

const T0 = Date.parse('2026-02-15T10:00:00Z')
const sig = (hash: string): LoopSignature => ({ hash, match: 'llm_call', name: hash, model: 'm' })
const entry = (ts: number, seq: number) => ({ ts, seq, eventId: `e${seq}`, taskId: null })

describe('LoopWindow', () => {
  it('counts per signature, slides old entries out and holds future-dated ones back', () => {
    const w = new LoopWindow(T0 - 60_000, T0, 3)
    w.add(entry(T0 - 50_000, 1), sig('a'))
    w.add(entry(T0 - 10_000, 3), sig('a'))
    w.add(entry(T0 - 30_000, 2), sig('a')) // out of order: sorted in
    w.add(entry(T0 - 70_000, 0), sig('a')) // before the window: ignored
    w.add(entry(T0 + 5_000, 4), sig('a')) // after now: waits
    expect(w.groups()).toEqual([
      { signature: sig('a'), count: 3, first: entry(T0 - 50_000, 1), last: entry(T0 - 10_000, 3) },
    ])
    expect(w.slide(T0 - 55_000 + 10_000, T0 + 10_000)).toBe(true) // drops seq 1, takes seq 4
    expect(w.groups()[0]).toMatchObject({ count: 3, first: entry(T0 - 30_000, 2), last: entry(T0 + 5_000, 4) })
    expect(w.slide(T0, T0 + 70_000)).toBe(true)
    expect(w.groups()).toEqual([]) // only the future-dated one is left
    expect(w.size).toBe(1)
    expect(w.slide(T0 - 1, T0 + 70_000)).toBe(false) // never backwards: the caller rescans
  })
})

/**
 * The incremental window must give exactly what a rescan gives, after every batch, while touching only the batch:
 * the rescan path is the only caller of `signatureOf` (signatures of records read back from the event lines).
 */
describe('evaluateLoop per batch (E101 loop_detected)', () => {
  const interner = new Interner()
  const rule: AlertRule = {
    rule_id: 'r',
    tenant_id: 't',
    project_id: null,
    name: 'loops',
    key_type: 'live',
    condition_type: 'loop_detected',
    condition_config: parseConditionConfig('loop_detected', { window_seconds: 60, min_repeats: 4 }),
    filters: { agent_id: null, environment: null, group: null },
    actions: [],
    cooldown_seconds: 0,
    is_enabled: true,
    created_at: '',
    updated_at: 'v1',
  }

  it('matches a full rescan after every batch (late, future-dated, sliding), with no rescan after the first', () => {
    const ns = new Namespace('t', 'live')
    let seq = 0
    // A deterministic generator, so a failure replays.
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const store = (atMs: number, agent: string, prompt: string): StoredEvent => {
      seq++
      const event = aStoredEvent({
        event_id: `ev${seq}`,
        tenant_id: 't',
        agent_id: agent,
        timestamp: new Date(atMs).toISOString(),
        received_at: new Date(atMs).toISOString(),
        seq,
        event_type: 'custom',
        task_id: `task-${prompt}`,
        payload: { kind: 'llm_call', data: { name: 'plan', model: 'm', prompt_preview: prompt } },
      })
      const line = JSON.stringify(event)
      ns.apply(toRecord(event, { source: { read: () => line }, offset: 0, length: line.length }, interner), event)
      return event
    }
    // History before the first evaluation: 3 000 calls over the last 10 minutes.
    for (let i = 0; i < 3000; i++) store(T0 - 600_000 + i * 200, random() < 0.5 ? 'a1' : 'a2', `p${i % 7}`)

    let scans = 0
    const windows: NonNullable<EvalContext['loopWindows']> = new Map()
    const base = (now: number): EvalContext => ({
      view: ns,
      now,
      defaultStuckThresholdSeconds: 300,
      projectAgents: () => new Set(),
      effectiveProject: storedProjectIds,
      signatureOf: (record) => {
        scans++
        return loopSignature(parseRecord(record))
      },
      windowSums: () => [],
    })
    const sorted = (ctx: EvalContext) =>
      evaluateLoop(rule, ctx).firings.sort((x, y) => x.subject.localeCompare(y.subject))

    let now = T0
    let firingsSeen = 0
    for (let batch = 0; batch < 60; batch++) {
      now += Math.floor(random() * 3000)
      const fresh: StoredEvent[] = []
      for (let i = 0; i < 20; i++) {
        // Mostly current, some late (up to 90 s old) and some dated ahead (up to 5 s).
        const skew = random() < 0.1 ? -Math.floor(random() * 90_000) : random() < 0.05 ? Math.floor(random() * 5000) : 0
        fresh.push(store(now + skew, random() < 0.5 ? 'a1' : 'a2', `p${Math.floor(random() * 5)}`))
      }
      const byAgent = new Map<string, StoredEvent[]>()
      for (const e of fresh) byAgent.set(e.agent_id, [...(byAgent.get(e.agent_id) ?? []), e])
      const incremental: EvalContext = {
        ...base(now),
        agentIds: new Set(byAgent.keys()),
        freshByAgent: byAgent,
        loopWindows: windows,
      }
      const scansBefore = scans
      const got = sorted(incremental)
      if (batch > 0) expect(scans - scansBefore, `batch ${batch} rescanned`).toBe(0)
      const rescan: EvalContext = { ...base(now), agentIds: new Set(byAgent.keys()) }
      expect(got, `batch ${batch}`).toEqual(sorted(rescan))
      firingsSeen += got.length
    }
    expect(firingsSeen).toBeGreaterThan(0)
  })

  it('50 identical calls in two batches hold one group whose evidence is the repeated call', () => {
    const ns = new Namespace('t', 'live')
    const windows: NonNullable<EvalContext['loopWindows']> = new Map()
    const calls = Array.from({ length: 50 }, (_, i) =>
      aStoredEvent({
        event_id: `c${i}`,
        tenant_id: 't',
        agent_id: 'a1',
        timestamp: new Date(T0 - 100_000 + i * 2000).toISOString(),
        seq: i + 1,
        task_id: 'T-7',
        payload: { kind: 'llm_call', data: { name: 'plan', model: 'gpt-4o', prompt_preview: 'Retry the search' } },
      }),
    )
    const apply = (events: StoredEvent[]) => {
      for (const event of events) {
        const line = JSON.stringify(event)
        ns.apply(toRecord(event, { source: { read: () => line }, offset: 0, length: line.length }, interner), event)
      }
      const ctx: EvalContext = {
        view: ns,
        now: T0,
        defaultStuckThresholdSeconds: 300,
        projectAgents: () => new Set(),
        effectiveProject: storedProjectIds,
        signatureOf: (record) => loopSignature(parseRecord(record)),
        windowSums: () => [],
        agentIds: new Set(['a1']),
        freshByAgent: new Map([['a1', events]]),
        loopWindows: windows,
      }
      return evaluateLoop({ ...rule, condition_config: parseConditionConfig('loop_detected', {}) }, ctx).firings
    }
    expect(apply(calls.slice(0, 20)).map((f) => f.snapshot['count'])).toEqual([20])
    const [firing] = apply(calls.slice(20))
    expect(firing?.snapshot).toMatchObject({
      agent_id: 'a1',
      task_id: 'T-7',
      name: 'plan',
      model: 'gpt-4o',
      count: 50,
      first_at: calls[0]?.timestamp,
      sample_event_id: 'c49',
    })
  })
})
