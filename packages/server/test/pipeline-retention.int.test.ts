import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const DAY = 86_400_000
const ago = (ms: number) => new Date(NOW - ms).toISOString()

let srv: TestServer | undefined
let dataDir: string
afterEach(async () => {
  await srv?.close()
  srv = undefined
  rmSync(dataDir, { recursive: true, force: true })
})

const custom = (id: string, kind: string, ts: string, data: Record<string, unknown>) =>
  anEvent({ event_id: id, event_type: 'custom', timestamp: ts, payload: { kind, summary: `${kind} ${id}`, data } })

async function ingestAt(s: TestServer, clock: ManualClock, at: number, events: unknown[]): Promise<void> {
  clock.set(at)
  const res = await s.post('/v1/ingest', { envelope: { agent_id: 'etl' }, events })
  expect(res.status, await res.clone().text()).toBe(200)
  clock.set(NOW)
}

async function pipelines(s: TestServer): Promise<unknown> {
  return [await (await s.get('/v1/agents/etl/pipeline')).json(), await (await s.get('/v1/pipeline')).json()]
}

describe('pipeline after retention (events.md E78–E83, E122)', () => {
  it('when pipeline events are TTL-pruned, then the pipeline shows only retained ones, before and after restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-pipe-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await ingestAt(srv, clock, NOW - 8 * DAY, [
      custom('q-old', 'queue_snapshot', ago(8 * DAY), { depth: 4 }),
      custom('todo-old', 'todo', ago(8 * DAY), { todo_id: 'gone', action: 'created' }),
      custom('todo-kept-1', 'todo', ago(8 * DAY), { todo_id: 'kept', action: 'created', priority: 'low' }),
      custom('issue-old', 'issue', ago(8 * DAY), { issue_id: 'disk', severity: 'high' }),
      custom('sched-old', 'scheduled', ago(8 * DAY), { items: [{ id: 's-1' }] }),
    ])
    await ingestAt(srv, clock, NOW - DAY, [
      custom('todo-kept-2', 'todo', ago(DAY), { todo_id: 'kept', action: 'deferred', priority: 'high' }),
      custom('issue-new', 'issue', ago(DAY), { issue_id: 'disk', severity: 'medium' }),
    ])
    const before = (await (await srv.get('/v1/agents/etl/pipeline')).json()) as Record<string, unknown>
    expect(before['queue']).toMatchObject({ depth: 4 })

    expect((await srv.running.app.services.retention.run()).ttl_pruned).toBe(5)
    const after = (await (await srv.get('/v1/agents/etl/pipeline')).json()) as Record<
      string,
      Array<Record<string, unknown>>
    >
    expect(after['queue']).toBeNull()
    expect(after['scheduled']).toEqual([])
    expect(after['todos']?.map((t) => [t['todo_id'], t['action']])).toEqual([['kept', 'deferred']])
    // Only the retained report counts: first_seen moves up to it, occurrence_count is 1.
    expect(after['issues']?.map((i) => [i['issue_id'], i['severity'], i['occurrence_count']])).toEqual([
      ['disk', 'medium', 1],
    ])
    const answers = await pipelines(srv)
    expect(answers).toMatchObject([
      {},
      { totals: { queue_depth: 0, active_issues: 1, active_todos: 1, scheduled_count: 0 } },
    ])

    await srv.close()
    srv = await startTestServer({ clock, dataDir })
    expect(await pipelines(srv)).toEqual(answers)
  })
})
