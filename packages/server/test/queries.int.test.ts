import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anEvent, ingestBody, startTestServer, type EventOverrides, type TestServer } from '../src/testing/index.js'

let srv: TestServer
beforeEach(async () => {
  srv = await startTestServer()
})
afterEach(async () => {
  await srv.close()
})

const at = (second: number) => new Date(Date.parse('2026-02-15T09:00:00Z') + second * 1000).toISOString()
let n = 0
const ev = (second: number, o: EventOverrides) => anEvent({ event_id: `q${n++}`, timestamp: at(second), ...o })

async function send(events: unknown[], agentId = 'agent-1') {
  const res = await srv.post('/v1/ingest', ingestBody(events as never, { agent_id: agentId }))
  expect(res.status).toBe(200)
}
async function json(path: string, key?: string) {
  const res = await srv.get(path, key)
  return { status: res.status, body: (await res.json()) as any }
}

describe('tasks (events.md E55–E58, api.md §4.4)', () => {
  beforeEach(async () => {
    await send([
      ev(0, { event_type: 'task_started', task_id: 't-ok', task_type: 'lead', task_run_id: 'r1', project_id: 'sales' }),
      ev(1, { event_type: 'action_started', task_id: 't-ok', action_id: 'a1', payload: { action_name: 'score' } }),
      ev(2, {
        event_type: 'custom',
        task_id: 't-ok',
        action_id: 'a1',
        payload: {
          kind: 'llm_call',
          data: { name: 'n', model: 'gpt-4o', tokens_in: 1000, tokens_out: 100, cost: 0.01 },
        },
      }),
      ev(3, { event_type: 'action_completed', task_id: 't-ok', action_id: 'a1', status: 'success', duration_ms: 2000 }),
      ev(11, { event_type: 'task_completed', task_id: 't-ok', status: 'success' }),
      ev(20, { event_type: 'task_started', task_id: 't-bad' }),
      ev(21, { event_type: 'action_failed', task_id: 't-bad', action_id: 'b1' }),
      ev(22, { event_type: 'task_failed', task_id: 't-bad', duration_ms: 5000 }),
      ev(30, { event_type: 'task_started', task_id: 't-esc' }),
      ev(31, { event_type: 'escalated', task_id: 't-esc' }),
      ev(40, { event_type: 'task_started', task_id: 't-wait' }),
      ev(41, { event_type: 'approval_requested', task_id: 't-wait' }),
      ev(50, { event_type: 'custom', task_id: 't-orphan', payload: { kind: 'note' } }),
    ])
  })

  it('when tasks are listed, then each has E56 status and E57 fields, newest first', async () => {
    const { body } = await json('/v1/tasks')
    expect(body.data.map((t: any) => [t.task_id, t.derived_status])).toEqual([
      ['t-orphan', 'processing'],
      ['t-wait', 'waiting'],
      ['t-esc', 'escalated'],
      ['t-bad', 'failed'],
      ['t-ok', 'completed'],
    ])
    const ok = body.data.find((t: any) => t.task_id === 't-ok')
    expect(ok).toMatchObject({
      task_type: 'lead',
      task_run_id: 'r1',
      agent_id: 'agent-1',
      started_at: at(0),
      completed_at: at(11),
      duration_ms: 11_000,
      total_cost: 0.01,
      action_count: 1,
      error_count: 0,
      llm_call_count: 1,
      total_tokens_in: 1000,
      total_tokens_out: 100,
      has_escalation: false,
      has_human_intervention: false,
    })
    expect(body.data.find((t: any) => t.task_id === 't-bad')).toMatchObject({
      duration_ms: 5000,
      error_count: 2,
      total_cost: null,
    })
    expect(body.data.find((t: any) => t.task_id === 't-wait').has_human_intervention).toBe(true)
  })

  it('when filtered by status, project, since/until or sorted by duration, then the right tasks come back', async () => {
    expect((await json('/v1/tasks?status=failed,escalated')).body.data.map((t: any) => t.task_id)).toEqual([
      't-esc',
      't-bad',
    ])
    expect((await json('/v1/tasks?project_id=sales')).body.data.map((t: any) => t.task_id)).toEqual(['t-ok'])
    expect((await json(`/v1/tasks?since=${at(20)}&until=${at(40)}`)).body.data.map((t: any) => t.task_id)).toEqual([
      't-wait',
      't-esc',
      't-bad',
    ])
    expect((await json('/v1/tasks?sort=duration')).body.data.map((t: any) => t.task_id).slice(0, 2)).toEqual([
      't-ok',
      't-bad',
    ])
    expect((await json('/v1/tasks?sort=oldest&limit=2')).body.data.map((t: any) => t.task_id)).toEqual([
      't-ok',
      't-bad',
    ])
  })

  it('when paging with a cursor, then pages never overlap or skip and the last cursor is null', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const { body }: { body: any } = await json(`/v1/tasks?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`)
      seen.push(...body.data.map((t: any) => t.task_id))
      expect(body.pagination.cursor === null).toBe(!body.pagination.has_more)
      cursor = body.pagination.cursor
    } while (cursor !== null)
    expect(seen).toEqual(['t-orphan', 't-wait', 't-esc', 't-bad', 't-ok'])
  })

  it('when a cursor is malformed or from another query, then 400 invalid_cursor', async () => {
    expect((await json('/v1/tasks?cursor=garbage')).body.error).toBe('invalid_cursor')
    const { body } = await json('/v1/tasks?limit=1')
    expect((await json(`/v1/tasks?limit=1&status=failed&cursor=${body.pagination.cursor}`)).status).toBe(400)
  })

  it('when the timeline is requested, then it has events, action tree, flat actions and plan null', async () => {
    const { status, body } = await json('/v1/tasks/t-ok/timeline')
    expect(status).toBe(200)
    expect(body.events.map((e: any) => e.event_type)).toEqual([
      'task_started',
      'action_started',
      'custom',
      'action_completed',
      'task_completed',
    ])
    expect(body.events_truncated).toBe(false)
    expect(body.action_tree).toHaveLength(1)
    expect(body.action_tree[0]).toMatchObject({
      action_id: 'a1',
      name: 'score',
      status: 'success',
      duration_ms: 2000,
      started_at: at(1),
      error: null,
    })
    expect(body.action_tree[0].events.map((e: any) => e.event_type)).toEqual([
      'action_started',
      'custom',
      'action_completed',
    ])
    expect(body.actions).toEqual([expect.objectContaining({ action_id: 'a1', depth: 0 })])
    expect(body.plan).toBeNull()
    expect(body.error_chains).toEqual([])
  })

  it('when the task is unknown, then 404 Task not found', async () => {
    expect(await json('/v1/tasks/nope/timeline')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'Task not found', status: 404 },
    })
  })
})

describe('timeline assembly (events.md E60–E64)', () => {
  it('when actions nest, fail, retry and follow a plan, then tree, error chains and plan progress are built', async () => {
    await send([
      ev(0, { event_type: 'task_started', task_id: 'T' }),
      ev(1, {
        event_type: 'custom',
        task_id: 'T',
        payload: {
          kind: 'plan_created',
          summary: 'Process lead',
          data: {
            steps: [
              { index: 0, description: 'Score' },
              { index: 1, description: 'Email' },
              { index: 2, description: 'Log' },
            ],
          },
        },
      }),
      ev(2, {
        event_type: 'custom',
        task_id: 'T',
        payload: { kind: 'plan_step', data: { step_index: 0, total_steps: 3, action: 'started' } },
      }),
      ev(3, { event_type: 'action_started', task_id: 'T', action_id: 'outer', payload: { action_name: 'outer' } }),
      ev(4, {
        event_type: 'action_started',
        task_id: 'T',
        action_id: 'inner',
        parent_action_id: 'outer',
        payload: { data: { action_name: 'inner' } },
      }),
      ev(5, {
        event_type: 'action_failed',
        event_id: 'fail-1',
        task_id: 'T',
        action_id: 'inner',
        payload: { exception_type: 'TimeoutError', exception_message: 'slow' },
      }),
      ev(6, {
        event_type: 'retry_started',
        task_id: 'T',
        parent_event_id: 'fail-1',
        payload: { data: { attempt: 2 } },
      }),
      ev(7, { event_type: 'action_completed', task_id: 'T', action_id: 'outer', duration_ms: 4000 }),
      ev(8, {
        event_type: 'custom',
        task_id: 'T',
        payload: { kind: 'plan_step', data: { step_index: 0, total_steps: 3, action: 'completed' } },
      }),
      ev(9, {
        event_type: 'custom',
        task_id: 'T',
        payload: { kind: 'plan_step', data: { step_index: 1, total_steps: 3, action: 'failed' } },
      }),
      ev(10, { event_type: 'action_started', task_id: 'T', action_id: 'loop-a', parent_action_id: 'loop-b' }),
      ev(11, { event_type: 'action_started', task_id: 'T', action_id: 'loop-b', parent_action_id: 'loop-a' }),
    ])
    const { body } = await json('/v1/tasks/T/timeline')
    const [outer, ...rest] = body.action_tree
    expect(outer).toMatchObject({ action_id: 'outer', name: 'outer', status: 'completed', duration_ms: 4000 })
    expect(outer.children).toEqual([
      expect.objectContaining({
        action_id: 'inner',
        name: 'inner',
        status: 'failed',
        error: { type: 'TimeoutError', message: 'slow' },
      }),
    ])
    // A parent link that would close a cycle is dropped: the node becomes a root.
    expect(rest.map((r: any) => r.action_id)).toContain('loop-a')
    expect(body.actions.map((a: any) => [a.action_id, a.depth]).slice(0, 2)).toEqual([
      ['outer', 0],
      ['inner', 1],
    ])
    expect(body.error_chains).toEqual([
      expect.objectContaining({ event_type: 'retry_started', parent_event_id: 'fail-1' }),
    ])
    expect(body.plan).toMatchObject({
      goal: 'Process lead',
      revision: 0,
      progress: { completed: 1, failed: 1, skipped: 0, total: 3 },
    })
    expect(body.plan.steps.map((s: any) => [s.index, s.description, s.status])).toEqual([
      [0, 'Score', 'completed'],
      [1, 'Email', 'failed'],
      [2, 'Log', 'pending'],
    ])
    expect(body.plan.steps[0].completed_at).toBe(at(8))
    expect(body.derived_status).toBe('processing')
    expect(body.action_tree.find((r: any) => r.action_id === 'loop-a').status).toBe('running')
  })

  it('when task_run_id is given, then everything is restricted to that run', async () => {
    await send([
      ev(0, { event_type: 'task_started', task_id: 'R', task_run_id: 'r1' }),
      ev(1, { event_type: 'task_failed', task_id: 'R', task_run_id: 'r1' }),
      ev(2, { event_type: 'task_started', task_id: 'R', task_run_id: 'r2' }),
      ev(9, { event_type: 'task_completed', task_id: 'R', task_run_id: 'r2' }),
    ])
    const { body } = await json('/v1/tasks/R/timeline?task_run_id=r2')
    expect(body.events).toHaveLength(2)
    expect(body).toMatchObject({ derived_status: 'completed', started_at: at(2), duration_ms: 7000, task_run_id: 'r2' })
    expect((await json('/v1/tasks/R/timeline?task_run_id=zzz')).status).toBe(404)
  })
})

describe('GET /v1/events (api.md §4.5)', () => {
  beforeEach(async () => {
    const events = Array.from({ length: 30 }, (_, i) =>
      ev(
        i,
        i % 3 === 0
          ? { event_type: 'heartbeat' }
          : {
              event_type: 'custom',
              severity: i % 2 === 0 ? 'warn' : 'info',
              payload: { kind: i % 5 === 0 ? 'todo' : 'note' },
              task_id: i < 10 ? 'first' : null,
            },
      ),
    )
    await send(events)
    await send([ev(100, { event_type: 'custom' })], 'agent-2')
  })

  it('when listing, then newest first, heartbeats excluded by default, cursors walk everything once', async () => {
    const ids: string[] = []
    let cursor: string | null = null
    do {
      const { body }: { body: any } = await json(`/v1/events?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`)
      ids.push(...body.data.map((e: any) => e.timestamp))
      cursor = body.pagination.cursor
    } while (cursor !== null)
    expect(ids).toHaveLength(21)
    expect([...ids].sort().reverse()).toEqual(ids)
    expect(new Set(ids).size).toBe(21)
  })

  it('when filtering, then each filter narrows as specified', async () => {
    const count = async (q: string) => (await json(`/v1/events?limit=200&${q}`)).body.data.length
    expect(await count('exclude_heartbeats=false')).toBe(31)
    expect(await count('event_type=heartbeat')).toBe(10)
    expect(await count('agent_id=agent-2')).toBe(1)
    expect(await count('task_id=first')).toBe(6)
    expect(await count('severity=warn')).toBe(10)
    expect(await count('min_severity=warn')).toBe(10)
    expect(await count('payload_kind=todo')).toBe(4)
    expect(await count(`since=${at(10)}&until=${at(19)}`)).toBe(7)
    expect(await count(`agent_id=agent-1&since=${at(25)}`)).toBe(4)
  })

  it('when a parameter is invalid or repeated, then 400 names query.<param>', async () => {
    for (const q of [
      'limit=0',
      'limit=201',
      'limit=x',
      'severity=loud',
      'event_type=x',
      'since=yesterday',
      `since=${at(5)}&until=${at(1)}`,
      'limit=5&limit=6',
      'exclude_heartbeats=maybe',
    ]) {
      const { status, body } = await json(`/v1/events?${q}`)
      expect(status, q).toBe(400)
      expect(body.error).toBe('validation_error')
      expect(body.details.fields[0].field).toMatch(/^query\./)
    }
  })

  it('when project_id is unknown, then 404', async () => {
    expect((await json('/v1/events?project_id=nope')).status).toBe(404)
  })
})

describe('GET /v1/agents list (api.md §4.3)', () => {
  it('when agents differ in status, then attention order, filters and pagination apply', async () => {
    await send([ev(3590, { event_type: 'task_started', task_id: 'x' })], 'busy')
    await send([ev(3590, { event_type: 'heartbeat' })], 'calm')
    await send([ev(3591, { event_type: 'action_failed', action_id: 'f' })], 'broken')
    await send([ev(0, { event_type: 'heartbeat' })], 'silent')
    const { body } = await json('/v1/agents')
    expect(body.data.map((a: any) => [a.agent_id, a.derived_status])).toEqual([
      ['silent', 'stuck'],
      ['broken', 'error'],
      ['busy', 'processing'],
      ['calm', 'idle'],
    ])
    expect((await json('/v1/agents?status=idle,processing')).body.data.map((a: any) => a.agent_id)).toEqual([
      'busy',
      'calm',
    ])
    expect((await json('/v1/agents?sort=name')).body.data.map((a: any) => a.agent_id)).toEqual([
      'broken',
      'busy',
      'calm',
      'silent',
    ])
    const page1 = (await json('/v1/agents?sort=name&limit=3')).body
    const page2 = (await json(`/v1/agents?sort=name&limit=3&cursor=${page1.pagination.cursor}`)).body
    expect(page2.data.map((a: any) => a.agent_id)).toEqual(['silent'])
    expect(page2.pagination).toEqual({ cursor: null, has_more: false })
    expect((await json('/v1/agents?status=sleeping')).status).toBe(400)
  })
})
