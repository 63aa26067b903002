import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { anEvent, ingestBody, startTestServer, type EventOverrides, type TestServer } from '../src/testing/index.js'

let srv: TestServer
let clock: ManualClock
const T0 = Date.parse('2026-02-15T10:00:00Z')
beforeEach(async () => {
  clock = new ManualClock(T0)
  srv = await startTestServer({ clock })
})
afterEach(async () => {
  await srv.close()
})

let counter = 0
/** Events one second apart starting at T0 − 60 s, so they are within any threshold at T0. */
function timeline(...events: EventOverrides[]) {
  return events.map((e, i) =>
    anEvent({ event_id: `e${counter++}`, timestamp: new Date(T0 - 60_000 + i * 1000).toISOString(), ...e }),
  )
}

async function send(events: unknown[], key?: string) {
  const res = await srv.post('/v1/ingest', ingestBody(events as never), key)
  expect(res.status).toBe(200)
}

async function agent(id = 'agent-1', key?: string) {
  return (await (await srv.get(`/v1/agents/${encodeURIComponent(id)}`, key)).json()) as Record<string, any>
}

describe('agent status reference cases (events.md E49)', () => {
  const ts = { event_type: 'task_started', task_id: 'T1' }
  const cases: Array<[string, EventOverrides[], string]> = [
    ['task_started then a heartbeat', [ts, { event_type: 'heartbeat' }], 'processing'],
    [
      'task_started then an llm_call',
      [ts, { event_type: 'custom', payload: { kind: 'llm_call', data: { name: 'n', model: 'm' } } }],
      'processing',
    ],
    [
      'an action that completed inside an open task',
      [ts, { event_type: 'action_started', action_id: 'A' }, { event_type: 'action_completed', action_id: 'A' }],
      'processing',
    ],
    [
      'two tasks, one completed',
      [ts, { event_type: 'task_started', task_id: 'T2' }, { event_type: 'task_completed', task_id: 'T1' }],
      'processing',
    ],
    ['a completed task', [ts, { event_type: 'task_completed', task_id: 'T1' }], 'idle'],
    [
      'a failed action then a heartbeat',
      [ts, { event_type: 'action_failed', action_id: 'A' }, { event_type: 'heartbeat' }],
      'error',
    ],
    [
      'a failed action then a retry',
      [ts, { event_type: 'action_failed', action_id: 'A' }, { event_type: 'retry_started' }],
      'processing',
    ],
    ['an approval requested', [ts, { event_type: 'approval_requested' }], 'waiting_approval'],
    [
      'an approval requested then received',
      [ts, { event_type: 'approval_requested' }, { event_type: 'approval_received' }],
      'processing',
    ],
    [
      'a failed task then a new one',
      [
        { event_type: 'task_failed', task_id: 'T1' },
        { event_type: 'task_started', task_id: 'T2' },
      ],
      'processing',
    ],
    ['a task abandoned by re-registration', [ts, { event_type: 'agent_registered' }], 'idle'],
    ['a heartbeat only', [{ event_type: 'heartbeat' }], 'idle'],
    [
      'an escalation only (neutral)',
      [ts, { event_type: 'task_completed', task_id: 'T1' }, { event_type: 'escalated' }],
      'idle',
    ],
  ]
  it.each(cases)('when %s, then the agent is %s', async (_, events, status) => {
    await send(timeline(...events))
    const a = await agent()
    expect(a['derived_status']).toBe(status)
    expect(a['is_stuck']).toBe(false)
  })

  it('when task_completed arrives first and task_started (earlier) later, then the agent is idle', async () => {
    await send([
      anEvent({ event_id: 'c', event_type: 'task_completed', task_id: 'T1', timestamp: '2026-02-15T09:59:50Z' }),
    ])
    await send([
      anEvent({ event_id: 's', event_type: 'task_started', task_id: 'T1', timestamp: '2026-02-15T09:59:40Z' }),
    ])
    expect((await agent())['derived_status']).toBe('idle')
  })

  it('when a terminal event has no task_run_id, then it closes every run of its task', async () => {
    await send(
      timeline(
        { event_type: 'task_started', task_id: 'T1', task_run_id: 'r1' },
        { event_type: 'task_started', task_id: 'T1', task_run_id: 'r2' },
        { event_type: 'task_completed', task_id: 'T1' },
      ),
    )
    expect((await agent())['derived_status']).toBe('idle')
  })

  it('when no heartbeat was ever sent and the last event is 301 s old (threshold 300), then stuck', async () => {
    await send([
      anEvent({ event_type: 'task_started', task_id: 'T1', timestamp: new Date(T0 - 301_000).toISOString() }),
    ])
    const a = await agent()
    expect([a['derived_status'], a['is_stuck']]).toEqual(['stuck', true])
  })

  it('when the last event is exactly 300 s old, then not stuck (strict)', async () => {
    await send([
      anEvent({ event_type: 'task_started', task_id: 'T1', timestamp: new Date(T0 - 300_000).toISOString() }),
    ])
    expect((await agent())['derived_status']).toBe('processing')
  })

  it('when the task failed and the last heartbeat is 600 s old, then stuck wins', async () => {
    await send([
      anEvent({ event_type: 'heartbeat', timestamp: new Date(T0 - 600_000).toISOString() }),
      anEvent({ event_type: 'task_failed', task_id: 'T1', timestamp: new Date(T0 - 10_000).toISOString() }),
    ])
    expect((await agent())['derived_status']).toBe('stuck')
  })

  it('when an agent registers with stuck_threshold 600, then it is judged by that threshold', async () => {
    await send([
      anEvent({
        event_type: 'agent_registered',
        payload: { data: { stuck_threshold: 600 } },
        timestamp: new Date(T0 - 400_000).toISOString(),
      }),
    ])
    const a = await agent()
    expect([a['derived_status'], a['stuck_threshold_seconds']]).toEqual(['idle', 600])
  })
})

describe('agent fields (events.md E44, E53; api.md §4.0)', () => {
  it('when events arrive, then the agent record carries metadata, times, current task and heartbeat health', async () => {
    await send(
      timeline(
        { event_type: 'agent_registered' },
        { event_type: 'task_started', task_id: 'T1', project_id: 'alpha' },
        { event_type: 'heartbeat', payload: { summary: 'Scoring lead 4821' } },
      ),
    )
    clock.advance(30_000)
    const a = await agent()
    expect(a).toMatchObject({
      agent_type: 'worker',
      agent_version: '1.0.0',
      framework: 'custom',
      runtime: 'node-20.20.2',
      environment: 'production',
      group: 'default',
      derived_status: 'processing',
      previous_status: null,
      current_task_id: 'T1',
      processing_summary: 'Scoring lead 4821',
      first_seen: '2026-02-15T09:59:00.000Z',
      last_seen: '2026-02-15T09:59:02.000Z',
      last_heartbeat: '2026-02-15T09:59:02.000Z',
      heartbeat_age_seconds: 88,
      heartbeat_health: 'stale',
      last_event_type: 'heartbeat',
    })
    expect(a['current_project_id']).toEqual(expect.any(String))
    expect(a['sparkline_1h']).toHaveLength(12)
  })

  it('when an event is timestamped in the future, then last_seen is capped at received_at', async () => {
    await send([anEvent({ event_type: 'heartbeat', timestamp: '2026-02-15T11:00:00Z' })])
    expect((await agent())['last_seen']).toBe('2026-02-15T10:00:00.000Z')
  })

  it('when an unknown agent is fetched, then 404 Agent not found', async () => {
    const res = await srv.get('/v1/agents/nobody')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: 'not_found', message: 'Agent not found', status: 404 })
  })

  it('when an agent id contains a slash, then it is reachable percent-encoded', async () => {
    await send(timeline({ event_type: 'heartbeat' }).map((e) => ({ ...e, agent_id: 'team/a' })))
    expect((await agent('team/a'))['agent_id']).toBe('team/a')
  })
})

describe('status publication and the stuck detector (events.md E50, E54)', () => {
  it('when a batch changes an agent status, then agent.status_changed is pushed after the batch events', async () => {
    await send(timeline({ event_type: 'heartbeat' }))
    srv.recorder!.clear()
    await send(timeline({ event_type: 'task_started', task_id: 'T9' }))
    const types = srv.recorder!.pushes.map((p) => p.type)
    expect(types).toEqual(['event.new', 'agent.status_changed'])
    expect(srv.recorder!.ofType('agent.status_changed')[0]!.data).toMatchObject({
      agent_id: 'agent-1',
      previous_status: 'idle',
      new_status: 'processing',
      current_task_id: 'T9',
    })
    expect((await agent())['previous_status']).toBe('idle')
  })

  it('when a new agent appears, then no status change is pushed', async () => {
    await send(timeline({ event_type: 'task_started', task_id: 'T1' }))
    expect(srv.recorder!.ofType('agent.status_changed')).toHaveLength(0)
  })

  it('when heartbeats stop past the threshold, then the detector pushes status_changed and agent.stuck once per episode', async () => {
    await send([anEvent({ event_type: 'heartbeat', timestamp: new Date(T0).toISOString() })])
    clock.advance(301_000)
    srv.running.app.services.agents.detectStuck()
    srv.running.app.services.agents.detectStuck()
    expect(srv.recorder!.pushes.map((p) => p.type)).toEqual(['event.new', 'agent.status_changed', 'agent.stuck'])
    expect(srv.recorder!.ofType('agent.stuck')[0]!.data).toMatchObject({
      agent_id: 'agent-1',
      stuck_threshold_seconds: 300,
      last_heartbeat: '2026-02-15T10:00:00.000Z',
    })
    // A heartbeat ends the episode; a new silence starts another.
    await send([anEvent({ event_type: 'heartbeat', timestamp: new Date(clock.now()).toISOString() })])
    clock.advance(301_000)
    srv.running.app.services.agents.detectStuck()
    expect(srv.recorder!.ofType('agent.stuck')).toHaveLength(2)
    expect(srv.recorder!.ofType('agent.status_changed').map((p) => p.data.new_status)).toEqual([
      'stuck',
      'idle',
      'stuck',
    ])
  })
})

describe('test-key isolation (api.md §2.6)', () => {
  it('when the same agent id exists in both partitions, then each key sees only its own', async () => {
    await send(timeline({ event_type: 'task_started', task_id: 'T1' }))
    await send(timeline({ event_type: 'heartbeat' }), srv.keys.test)
    expect((await agent('agent-1'))['derived_status']).toBe('processing')
    expect((await agent('agent-1', srv.keys.test))['derived_status']).toBe('idle')
    expect((await agent('agent-1', srv.keys.read))['derived_status']).toBe('processing')
    const testTasks = (await (await srv.get('/v1/tasks', srv.keys.test)).json()) as any
    expect(testTasks.data).toEqual([])
    const testEvents = (await (await srv.get('/v1/events?exclude_heartbeats=false', srv.keys.test)).json()) as any
    expect(testEvents.data.map((e: any) => e.event_type)).toEqual(['heartbeat'])
  })

  it('when a test-key push happens, then it is scoped to the test partition', async () => {
    await send(timeline({ event_type: 'heartbeat' }), srv.keys.test)
    expect(srv.recorder!.pushes.every((p) => p.scope.partition === 'test')).toBe(true)
  })
})
