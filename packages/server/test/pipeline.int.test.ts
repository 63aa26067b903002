import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'

interface Json {
  [key: string]: unknown
}

let srv: TestServer
beforeEach(async () => {
  srv = await startTestServer()
})
afterEach(async () => srv.close())

const at = (mmss: string) => `2026-02-15T09:${mmss}.000Z`
const custom = (kind: string, ts: string, data: Record<string, unknown>, summary = kind) =>
  anEvent({ event_type: 'custom', timestamp: at(ts), payload: { kind, summary, data } })

async function ingest(agent: string, events: unknown[]): Promise<void> {
  const res = await srv.post('/v1/ingest', { envelope: { agent_id: agent }, events })
  expect(res.status, await res.clone().text()).toBe(200)
}

describe('pipeline', () => {
  beforeEach(async () => {
    await ingest('etl', [
      custom('queue_snapshot', '00:00', { depth: 9, items: [] }),
      custom('queue_snapshot', '50:00', {
        items: [
          { id: 'b-1', queued_at: '2026-02-15T09:58:00.000Z' },
          { id: 'b-2', queued_at: '2026-02-15T09:59:00.000Z' },
        ],
      }),
      custom('todo', '10:00', { todo_id: 't-1', action: 'created', priority: 'low' }),
      custom('todo', '11:00', { todo_id: 't-2', action: 'created', priority: 'high' }),
      custom('todo', '12:00', { todo_id: 't-3', action: 'created', priority: 'high' }),
      custom('todo', '13:00', { todo_id: 't-3', action: 'completed', priority: 'high' }),
      custom('issue', '20:00', { severity: 'low', action: 'reported' }, 'DB pool exhausted'),
      custom('issue', '21:00', { severity: 'high', action: 'reported' }, '  db POOL exhausted '),
      custom('issue', '22:00', { issue_id: 'disk', severity: 'high', occurrence_count: 5 }, 'Disk full'),
      custom('issue', '23:00', { issue_id: 'net', severity: 'critical' }, 'Net down'),
      custom('issue', '24:00', { issue_id: 'net', action: 'resolved' }, 'Net down'),
      custom('scheduled', '30:00', { items: [{ id: 's-1', name: 'Nightly' }, { id: 's-2' }] }),
    ])
    await ingest('quiet', [anEvent({ event_type: 'heartbeat', timestamp: at('59:00') })])
  })

  it('when an agent reports queue, todos, issues and schedules, then the pipeline follows E79–E82', async () => {
    const body = (await (await srv.get('/v1/agents/etl/pipeline')).json()) as Json
    expect(body['queue']).toMatchObject({
      depth: 2,
      oldest_age_seconds: 120,
      processing: null,
      snapshot_at: at('50:00'),
    })
    expect((body['todos'] as Json[]).map((t) => t['todo_id'])).toEqual(['t-2', 't-1'])
    const issues = body['issues'] as Json[]
    expect(issues.map((i) => [i['summary'], i['severity'], i['occurrence_count']])).toEqual([
      ['Disk full', 'high', 5],
      ['  db POOL exhausted ', 'high', 2],
    ])
    expect(issues[1]?.['issue_id']).toMatch(/^h:[0-9a-f]{16}$/)
    expect((body['scheduled'] as Json[]).length).toBe(2)
    expect((await srv.get('/v1/agents/nobody/pipeline')).status).toBe(404)
  })

  it('when the fleet is asked, then totals cover all agents and only non-zero agents are listed', async () => {
    const body = (await (await srv.get('/v1/pipeline')).json()) as Json
    expect(body['totals']).toEqual({ queue_depth: 2, active_issues: 2, active_todos: 2, scheduled_count: 2 })
    expect(body['agents']).toEqual([
      {
        agent_id: 'etl',
        derived_status: 'stuck',
        queue_depth: 2,
        oldest_age_seconds: 120,
        active_todos: 2,
        active_issues: 2,
        scheduled_count: 2,
      },
    ])
    const agents = (await (await srv.get('/v1/agents')).json()) as { data: Json[] }
    const etl = agents.data.find((a) => a['agent_id'] === 'etl') as Json
    expect(etl['stats_1h']).toMatchObject({ queue_depth: 2, active_issues: 2 })
  })
})
