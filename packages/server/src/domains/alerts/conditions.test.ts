import { describe, expect, it } from 'vitest'
import { Namespace } from '../../projection/namespace.js'
import { Interner, parseRecord, toRecord, type StoredEvent } from '../../projection/stored-event.js'
import type { ConditionType } from '@hiveboard/shared'
import type { AlertRule } from '../../storage/alert-records.js'
import { aStoredEvent } from '../../testing/fixtures.js'
import { evaluateAgentStuck, evaluateHeartbeatLost } from './agent-conditions.js'
import type { EvalContext } from './condition-context.js'
import { evaluateEvent } from './event-conditions.js'
import { storedProjectIds } from '../projects/project-redirects.js'
import { evaluateLoop, loopSignature } from './loop-detection.js'
import { parseConditionConfig } from './rule-schema.js'
import { evaluateCostThreshold, evaluateErrorRate } from './window-conditions.js'
import { advanceTally, scanTally, type Contribution } from './window-tally.js'

const T0 = Date.parse('2026-02-15T10:00:00Z')
const interner = new Interner()

function namespace(events: Array<Partial<StoredEvent>>): Namespace {
  const ns = new Namespace('t', 'live')
  events.forEach((partial, i) => {
    const event: StoredEvent = aStoredEvent({
      event_id: `e${i}`,
      tenant_id: 't',
      agent_id: 'a1',
      agent_type: 'worker',
      timestamp: new Date(T0 - 1000 * (events.length - i)).toISOString(),
      received_at: new Date(T0).toISOString(),
      seq: i + 1,
      ...partial,
    })
    const line = JSON.stringify(event)
    ns.apply(toRecord(event, { source: { read: () => line }, offset: 0, length: line.length }, interner), event)
  })
  return ns
}

function rule(
  condition_type: ConditionType,
  config: Record<string, unknown> = {},
  extra: Partial<AlertRule> = {},
): AlertRule {
  return {
    rule_id: 'r',
    tenant_id: 't',
    project_id: null,
    name: 'r',
    key_type: 'live',
    condition_type,
    condition_config: parseConditionConfig(condition_type, config),
    filters: { agent_id: null, environment: null, group: null },
    actions: [],
    cooldown_seconds: 0,
    is_enabled: true,
    created_at: '',
    updated_at: '',
    ...extra,
  }
}

function ctx(ns: Namespace, now = T0): EvalContext {
  return {
    view: ns,
    now,
    defaultStuckThresholdSeconds: 300,
    projectAgents: () => new Set(),
    effectiveProject: storedProjectIds,
    signatureOf: (record) => loopSignature(parseRecord(record)),
    windowSums: (_rule, window, contribute) => scanTally(ns.events, window.start, window.end, contribute).sums,
  }
}

const llm = (cost: number, agent_id = 'a1'): Partial<StoredEvent> => ({
  agent_id,
  payload: { kind: 'llm_call', data: { name: 'n', model: 'm', prompt_preview: 'p', cost } },
})

describe('level conditions', () => {
  it('error_rate: holds at the threshold with enough actions, and honours the environment filter', () => {
    const ns = namespace([
      { event_type: 'action_failed' },
      { event_type: 'action_completed', environment: 'staging' },
      { event_type: 'action_completed' },
    ])
    expect(
      evaluateErrorRate(rule('error_rate', { min_actions: 3, threshold_percent: 33 }), ctx(ns)).firings,
    ).toHaveLength(1)
    expect(
      evaluateErrorRate(rule('error_rate', { min_actions: 3, threshold_percent: 34 }), ctx(ns)).firings,
    ).toHaveLength(0)
    const staging = rule(
      'error_rate',
      { min_actions: 1 },
      { filters: { agent_id: null, environment: 'staging', group: null } },
    )
    expect(evaluateErrorRate(staging, ctx(ns)).firings).toHaveLength(0)
  })

  it('cost_threshold: sums the window per agent or tenant; the model filter applies', () => {
    const ns = namespace([llm(0.6), llm(0.6, 'a2')])
    expect(evaluateCostThreshold(rule('cost_threshold', { threshold_usd: 1.2 }), ctx(ns)).firings).toHaveLength(1)
    expect(
      evaluateCostThreshold(rule('cost_threshold', { threshold_usd: 1.2, agent_id: 'a1' }), ctx(ns)).firings,
    ).toHaveLength(0)
    expect(
      evaluateCostThreshold(rule('cost_threshold', { threshold_usd: 1, model: 'other' }), ctx(ns)).firings,
    ).toHaveLength(0)
  })

  it('loop_detected: counts one agent only and names the repeated call', () => {
    const ns = namespace([llm(0), llm(0, 'a2'), llm(0)])
    expect(evaluateLoop(rule('loop_detected', { min_repeats: 3 }), ctx(ns)).firings).toHaveLength(0)
    const [firing] = evaluateLoop(rule('loop_detected', { min_repeats: 2 }), ctx(ns)).firings
    expect(firing).toMatchObject({
      agentId: 'a1',
      snapshot: { count: 2, name: 'n', model: 'm', sample_event_id: 'e2' },
    })
  })

  it('agent_stuck and heartbeat_lost: strict thresholds; only the evaluated agents are covered', () => {
    const ns = namespace([{ event_type: 'heartbeat' }])
    const lastBeat = T0 - 1000
    expect(evaluateAgentStuck(rule('agent_stuck'), ctx(ns, lastBeat + 300_000)).firings).toHaveLength(0)
    expect(evaluateAgentStuck(rule('agent_stuck'), ctx(ns, lastBeat + 300_001)).firings).toHaveLength(1)
    const lost = rule('heartbeat_lost', { agent_id: 'a1', window_seconds: 30 })
    expect(evaluateHeartbeatLost(lost, ctx(ns, lastBeat + 30_000)).firings).toHaveLength(0)
    expect(evaluateHeartbeatLost(lost, ctx(ns, lastBeat + 31_000)).firings).toHaveLength(1)
    const only = { ...ctx(ns), agentIds: new Set(['a2']) }
    const outcome = evaluateAgentStuck(rule('agent_stuck'), only)
    expect([outcome.covers('agent:a1'), outcome.covers('agent:a2')]).toEqual([false, true])
  })
})

describe('event conditions', () => {
  const stored = (partial: Partial<StoredEvent>) =>
    ({
      agent_id: 'a1',
      project_id: null,
      environment: 'production',
      group: 'default',
      payload: null,
      ...partial,
    }) as StoredEvent

  it('task_failed, duration_exceeded and custom_event match only their events', () => {
    expect(
      evaluateEvent(rule('task_failed'), stored({ event_type: 'task_failed', task_id: 't' }), storedProjectIds),
    ).not.toBeNull()
    expect(evaluateEvent(rule('task_failed'), stored({ event_type: 'task_completed' }), storedProjectIds)).toBeNull()
    const slow = rule('duration_exceeded', { threshold_ms: 10 })
    expect(evaluateEvent(slow, stored({ event_type: 'task_completed', duration_ms: 10 }), storedProjectIds)).toBeNull()
    expect(
      evaluateEvent(slow, stored({ event_type: 'task_completed', duration_ms: 11 }), storedProjectIds)?.snapshot,
    ).toMatchObject({
      duration_ms: 11,
    })
    const custom = rule('custom_event', { min_severity: 'warn' })
    expect(evaluateEvent(custom, stored({ event_type: 'custom', severity: 'warn' }), storedProjectIds)).not.toBeNull()
    expect(evaluateEvent(custom, stored({ event_type: 'custom', severity: 'info' }), storedProjectIds)).toBeNull()
  })

  it('project scope applies to events', () => {
    const scoped = rule('task_failed', {}, { project_id: 'p1' })
    expect(evaluateEvent(scoped, stored({ event_type: 'task_failed', project_id: 'p2' }), storedProjectIds)).toBeNull()
    expect(
      evaluateEvent(scoped, stored({ event_type: 'task_failed', project_id: 'p1' }), storedProjectIds),
    ).not.toBeNull()
  })
})

describe('window tallies', () => {
  const count: Contribution = (record) => (record.llm === null ? null : [record.llm.cost ?? 0, 1])

  it('when a window slides and a batch arrives, then the advanced tally equals a full rescan', () => {
    const ns = namespace([llm(1), llm(2), llm(4), llm(8)]) // at T0 − 4 s … T0 − 1 s
    const before = scanTally(ns.events, T0 - 10_000, T0 - 1500, count)
    expect(before.sums).toEqual([7, 3])
    const fresh = [ns.events[3]!]
    const advanced = advanceTally(before, ns.events, { start: T0 - 3500, end: T0 }, fresh, count)
    expect(advanced?.sums).toEqual(scanTally(ns.events, T0 - 3500, T0, count).sums)
    expect(advanced?.sums).toEqual([14, 3])
  })

  it('when the window moves back or jumps past the old one, then it asks for a rescan', () => {
    const ns = namespace([llm(1)])
    const tally = scanTally(ns.events, T0 - 10_000, T0, count)
    expect(advanceTally(tally, ns.events, { start: T0 - 20_000, end: T0 }, [], count)).toBeNull()
    expect(advanceTally(tally, ns.events, { start: T0 + 1, end: T0 + 5000 }, [], count)).toBeNull()
  })
})
