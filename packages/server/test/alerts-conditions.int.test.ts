import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { createRule, evaluate, eventually, events, history, llmCall, send, services, T0 } from './alerts-helpers.js'

let srv: TestServer
let clock: ManualClock
beforeEach(async () => {
  clock = new ManualClock(T0)
  srv = await startTestServer({ clock })
})
afterEach(async () => {
  await srv.close()
})

const at = (seconds: number) => {
  clock.set(T0 + seconds * 1000)
  return T0 + seconds * 1000
}

describe('agent_stuck (timer, stuck detector)', () => {
  it('when an agent passes its threshold, then it fires once per episode and resolves on recovery', async () => {
    await createRule(srv, { condition_type: 'agent_stuck', cooldown_seconds: 0 })
    await send(srv, events([{ event_type: 'heartbeat' }]))
    at(300)
    await evaluate(srv)
    expect(await history(srv)).toHaveLength(0) // exactly the threshold is not stuck (strict)
    at(301)
    await evaluate(srv)
    await evaluate(srv)
    const [alert] = await history(srv)
    expect(await history(srv)).toHaveLength(1)
    expect(alert).toMatchObject({
      condition_type: 'agent_stuck',
      related_agent_id: 'agent-1',
      resolved_at: null,
      condition_snapshot: { agent_id: 'agent-1', threshold_seconds: 300, heartbeat_age_seconds: 301 },
    })
    expect(srv.recorder!.ofType('alert.fired')).toEqual([
      expect.objectContaining({
        scope: { tenantId: 'dev', partition: 'live' },
        data: expect.objectContaining({ alert_id: alert.alert_id }),
      }),
    ])
    await send(srv, events([{ event_type: 'heartbeat' }], T0 + 302_000))
    expect((await history(srv))[0].resolved_at).toBe('2026-02-15T10:05:01.000Z')
    at(700)
    await evaluate(srv)
    expect(await history(srv)).toHaveLength(2) // re-armed: a new episode fires again
  })

  it('when the stuck detector sees an agent enter stuck, then the rule fires immediately after agent.stuck', async () => {
    await createRule(srv, { condition_type: 'agent_stuck', condition_config: { stuck_threshold_seconds: 60 } })
    await send(srv, events([{ event_type: 'heartbeat' }]))
    at(301)
    services(srv).agents.detectStuck()
    await eventually(async () => expect(await history(srv)).toHaveLength(1))
    const types = srv.recorder!.pushes.map((p) => p.type).filter((t) => t !== 'event.new')
    expect(types.slice(-2)).toEqual(['agent.stuck', 'alert.fired'])
  })

  it('when data arrives with a test key, then live-only rules never fire', async () => {
    await createRule(srv, { condition_type: 'task_failed' })
    await send(srv, events([{ event_type: 'task_failed', task_id: 't' }]), {}, srv.keys.test)
    expect(await history(srv)).toHaveLength(0)
  })
})

describe('heartbeat_lost', () => {
  it('when the last heartbeat is older than the window, then it fires; at the window it does not', async () => {
    await createRule(srv, {
      condition_type: 'heartbeat_lost',
      condition_config: { agent_id: 'agent-1', window_seconds: 60 },
    })
    await send(srv, events([{ event_type: 'heartbeat' }]))
    at(60)
    await evaluate(srv)
    expect(await history(srv)).toHaveLength(0)
    at(61)
    await evaluate(srv)
    expect((await history(srv))[0]).toMatchObject({
      condition_snapshot: {
        agent_id: 'agent-1',
        window_seconds: 60,
        last_heartbeat: '2026-02-15T10:00:00.000Z',
        heartbeat_age_seconds: 61,
      },
    })
  })
})

describe('task_failed and duration_exceeded (ingest)', () => {
  it('when a task fails, then the alert carries the exception; completed tasks and other task types do not fire', async () => {
    await createRule(srv, {
      condition_type: 'task_failed',
      condition_config: { task_type: 'lead' },
      cooldown_seconds: 0,
    })
    await send(srv, events([{ event_type: 'task_completed', task_id: 'ok', task_type: 'lead' }]))
    await send(srv, events([{ event_type: 'task_failed', task_id: 'other', task_type: 'mail' }]))
    expect(await history(srv)).toHaveLength(0)
    const failed = events([
      {
        event_type: 'task_failed',
        task_id: 't1',
        task_type: 'lead',
        payload: { exception_type: 'ValueError', exception_message: 'bad' },
      },
    ])
    await send(srv, failed)
    expect((await history(srv))[0]).toMatchObject({
      related_task_id: 't1',
      related_agent_id: 'agent-1',
      condition_snapshot: { event_id: failed[0]!.event_id, exception_type: 'ValueError', exception_message: 'bad' },
    })
  })

  it('when a terminal task event exceeds threshold_ms, then it fires; at the threshold it does not', async () => {
    await createRule(srv, {
      condition_type: 'duration_exceeded',
      condition_config: { threshold_ms: 1000 },
      cooldown_seconds: 0,
    })
    await send(srv, events([{ event_type: 'task_completed', task_id: 'a', duration_ms: 1000 }]))
    expect(await history(srv)).toHaveLength(0)
    await send(srv, events([{ event_type: 'task_failed', task_id: 'b', duration_ms: 1001 }]))
    expect((await history(srv))[0].condition_snapshot).toMatchObject({
      task_id: 'b',
      duration_ms: 1001,
      threshold_ms: 1000,
    })
  })
})

describe('cooldown (E105)', () => {
  it('when a rule fires again within cooldown_seconds, then it is suppressed and not recorded', async () => {
    await createRule(srv, { condition_type: 'task_failed', cooldown_seconds: 120 })
    await send(srv, events([{ event_type: 'task_failed', task_id: 't1' }]))
    at(119)
    await send(srv, events([{ event_type: 'task_failed', task_id: 't2' }], T0 + 119_000))
    expect(await history(srv)).toHaveLength(1)
    at(120)
    await send(srv, events([{ event_type: 'task_failed', task_id: 't3' }], T0 + 120_000))
    expect((await history(srv)).map((a) => a.related_task_id)).toEqual(['t3', 't1'])
  })
})

describe('error_rate', () => {
  const actions = (failed: number, completed: number) =>
    events([
      ...Array.from({ length: failed }, () => ({ event_type: 'action_failed', action_id: `a${Math.random()}` })),
      ...Array.from({ length: completed }, () => ({ event_type: 'action_completed', action_id: `a${Math.random()}` })),
    ])

  it('when failed ÷ finished reaches the threshold with enough actions, then it fires; below it does not', async () => {
    await createRule(srv, {
      condition_type: 'error_rate',
      condition_config: { threshold_percent: 50, min_actions: 4, window_minutes: 10 },
    })
    await send(srv, actions(1, 2)) // 33 % of 3: below min_actions and below threshold
    await send(srv, actions(0, 1)) // 25 % of 4
    expect(await history(srv)).toHaveLength(0)
    await send(srv, actions(1, 0)) // 40 % of 5
    expect(await history(srv)).toHaveLength(0)
    await send(srv, actions(1, 0)) // 50 % of 6
    expect((await history(srv))[0].condition_snapshot).toEqual({
      error_rate: 50,
      threshold: 50,
      failed: 3,
      finished: 6,
      window_minutes: 10,
    })
    at(601)
    await evaluate(srv)
    expect((await history(srv))[0].resolved_at).toBe('2026-02-15T10:10:01.000Z')
  })
})

describe('cost_threshold', () => {
  it('when llm cost in the window reaches the budget, then it fires per agent; other agents do not count', async () => {
    await createRule(srv, {
      condition_type: 'cost_threshold',
      condition_config: { threshold_usd: 1, window_hours: 1, agent_id: 'agent-1' },
    })
    await send(srv, events([llmCall({ cost: 0.5 }), llmCall({ cost: 0.49 })]))
    await send(srv, events([llmCall({ cost: 5 })]), { agent_id: 'agent-2' })
    expect(await history(srv)).toHaveLength(0)
    await send(srv, events([llmCall({ cost: 0.01 })]))
    expect((await history(srv))[0].condition_snapshot).toMatchObject({
      total_cost_usd: 1,
      threshold_usd: 1,
      period: 'rolling',
      call_count: 3,
      window_start: '2026-02-15T09:00:00.000Z',
    })
    at(3602)
    await evaluate(srv)
    expect((await history(srv))[0].resolved_at).not.toBeNull()
  })

  it('when scoped to a project, then only that project counts (calendar_day period)', async () => {
    await createRule(srv, {
      condition_type: 'cost_threshold',
      project_id: 'default',
      condition_config: { threshold_usd: 2, period: 'calendar_day' },
    })
    const inDefault = (cost: number) => ({ ...llmCall({ cost }), project_id: 'default' })
    await send(srv, events([inDefault(1.5), llmCall({ cost: 3 })]))
    await send(srv, events([{ ...llmCall({ cost: 1.5 }), project_id: 'elsewhere' }]))
    expect(await history(srv)).toHaveLength(0)
    await send(srv, events([inDefault(0.5)]))
    expect((await history(srv))[0].condition_snapshot).toMatchObject({
      total_cost_usd: 2,
      window_start: '2026-02-15T00:00:00.000Z',
    })
  })
})

describe('approval_waiting and escalation_open', () => {
  it('when an approval waits longer than threshold_seconds, then it fires; the answer resolves it', async () => {
    await createRule(srv, { condition_type: 'approval_waiting', condition_config: { threshold_seconds: 60 } })
    await send(
      srv,
      events([
        { event_type: 'task_started', task_id: 't1' },
        { event_type: 'approval_requested', task_id: 't1' },
      ]),
    )
    at(60)
    await evaluate(srv)
    expect(await history(srv)).toHaveLength(0)
    at(61)
    await evaluate(srv)
    expect((await history(srv))[0]).toMatchObject({
      related_task_id: 't1',
      condition_snapshot: { status: 'waiting', waiting_seconds: 61 },
    })
    await send(srv, events([{ event_type: 'approval_received', task_id: 't1' }], T0 + 62_000))
    at(63)
    await evaluate(srv)
    expect((await history(srv))[0].resolved_at).toBe('2026-02-15T10:01:03.000Z')
  })

  it('when an escalated task stays open past the threshold, then escalation_open fires', async () => {
    await createRule(srv, { condition_type: 'escalation_open', condition_config: { threshold_seconds: 30 } })
    await send(
      srv,
      events([
        { event_type: 'task_started', task_id: 't9' },
        { event_type: 'escalated', task_id: 't9' },
      ]),
    )
    at(30)
    await evaluate(srv)
    expect(await history(srv)).toHaveLength(0)
    at(31)
    await evaluate(srv)
    expect((await history(srv))[0]).toMatchObject({ related_task_id: 't9', condition_type: 'escalation_open' })
  })
})

describe('custom_event', () => {
  it('when an event matches type, kind and minimum severity, then it fires; lower severity does not', async () => {
    await createRule(srv, {
      condition_type: 'custom_event',
      condition_config: { event_type: 'custom', payload_kind: 'deploy', min_severity: 'warn' },
      cooldown_seconds: 0,
    })
    await send(srv, events([{ event_type: 'custom', severity: 'info', payload: { kind: 'deploy' } }]))
    expect(await history(srv)).toHaveLength(0)
    await send(srv, events([{ event_type: 'custom', severity: 'error', payload: { kind: 'deploy' } }]))
    expect((await history(srv))[0].condition_snapshot).toMatchObject({ payload_kind: 'deploy', severity: 'error' })
  })
})
