import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const DAY = 86_400_000
const MIN = 60_000
const ago = (ms: number) => new Date(NOW - ms).toISOString()

let srv: TestServer | undefined
let dataDir: string
afterEach(async () => {
  await srv?.close()
  srv = undefined
  rmSync(dataDir, { recursive: true, force: true })
})

async function ingestAt(s: TestServer, clock: ManualClock, at: number, agent: string, events: unknown[]) {
  clock.set(at)
  const res = await s.post('/v1/ingest', { envelope: { agent_id: agent, framework: 'f1' }, events })
  expect(res.status, await res.clone().text()).toBe(200)
  clock.set(NOW)
}

/**
 * The agents list. `previous_status` is left out: it is the agents service's in-memory publish bookkeeping
 * (E50), reset at every start whatever the checkpoints hold.
 */
async function agents(s: TestServer): Promise<{ data: Array<Record<string, unknown>> }> {
  const body = (await (await s.get('/v1/agents?sort=name')).json()) as { data: Array<Record<string, unknown>> }
  return { data: body.data.map(({ previous_status: _ignored, ...rest }) => rest) }
}

describe('agents.json checkpoint (events.md E45, E133, E137 step 4)', () => {
  it('when retention physically removes the events an agent record came from, then a restart keeps the record', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-agents-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    // 'busy' started an action 3 days ago that never ended: processing (E47). 'silent' last beat 3 days ago.
    await ingestAt(srv, clock, NOW - 3 * DAY, 'busy', [
      anEvent({ event_id: 'b1', event_type: 'action_started', action_id: 'a1', timestamp: ago(3 * DAY) }),
    ])
    await ingestAt(srv, clock, NOW - 3 * DAY, 'silent', [
      anEvent({ event_id: 's1', event_type: 'heartbeat', timestamp: ago(3 * DAY), payload: { summary: 'last' } }),
    ])
    await ingestAt(srv, clock, NOW - MIN, 'fresh', [
      anEvent({ event_id: 'f1', event_type: 'heartbeat', timestamp: ago(MIN) }),
    ])
    const before = await agents(srv)
    expect(before).toMatchObject({
      data: [
        { agent_id: 'busy', derived_status: 'stuck', current_task_id: null },
        { agent_id: 'fresh' },
        { agent_id: 'silent', last_heartbeat: ago(3 * DAY), derived_status: 'stuck' },
      ],
    })
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 0, cold_pruned: 2, total_pruned: 2 })
    // The 3-day-old segment was rewritten without both lines (E125) …
    expect(readFileSync(join(dataDir, 'tenants/dev/events/live/2026-02-12.ndjson'), 'utf8')).toBe('')
    // … and retention never changes an agent's fields or status (E45), neither now nor after a restart.
    expect(await agents(srv)).toEqual(before)
    const agentsFile = join(dataDir, 'tenants/dev/state/live/agents.json')
    const stale = readFileSync(agentsFile, 'utf8')
    await ingestAt(srv, clock, NOW, 'fresh', [
      anEvent({ event_id: 'f2', event_type: 'task_started', task_id: 't', timestamp: ago(0) }),
    ])
    const expected = await agents(srv)
    await srv.close()
    srv = await startTestServer({ clock, dataDir })
    expect(await agents(srv)).toEqual(expected)

    // A stale agents.json (watermark before f2): only the later lines are re-applied.
    await srv.close()
    writeFileSync(agentsFile, stale)
    srv = await startTestServer({ clock, dataDir })
    expect(await agents(srv)).toEqual(expected)

    // A corrupt one is rebuilt from the retained lines: the server starts; what only the removed lines held is gone.
    await srv.close()
    writeFileSync(agentsFile, '{"version": 1, "watermark": 3, "items": [{"agent')
    srv = await startTestServer({ clock, dataDir })
    const rebuilt = await agents(srv)
    expect(rebuilt.data.map((a) => a.agent_id)).toEqual(['fresh'])
    expect(existsSync(agentsFile)).toBe(true)
  })

  it('when a checkpoint is copied before more ingest, then a restart from it re-applies only lines above its watermark', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-agents-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await ingestAt(srv, clock, NOW - 5 * MIN, 'a', [
      anEvent({
        event_id: 'x1',
        event_type: 'task_started',
        task_id: 't1',
        task_run_id: 'r1',
        timestamp: ago(5 * MIN),
      }),
    ])
    await srv.storage.checkpoint()
    const state = join(dataDir, 'tenants/dev/state/live')
    const copy = `${dataDir}-state`
    cpSync(state, copy, { recursive: true })
    await ingestAt(srv, clock, NOW - MIN, 'a', [
      anEvent({ event_id: 'x2', event_type: 'task_completed', task_id: 't1', task_run_id: 'r1', timestamp: ago(MIN) }),
    ])
    const expected = await agents(srv)
    expect(expected).toMatchObject({ data: [{ agent_id: 'a', derived_status: 'idle', last_task_id: 't1' }] })
    await srv.close()
    rmSync(state, { recursive: true })
    cpSync(copy, state, { recursive: true })
    rmSync(copy, { recursive: true })
    srv = await startTestServer({ clock, dataDir })
    expect(await agents(srv)).toEqual(expected)
  })

  it('when a task ends without a run id, then agents.json keeps only its position, not the event record', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-agents-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await ingestAt(srv, clock, NOW, 'a', [
      anEvent({ event_id: 'y1', event_type: 'task_started', task_id: 't9', timestamp: ago(2 * MIN) }),
      anEvent({ event_id: 'y2', event_type: 'task_completed', task_id: 't9', timestamp: ago(MIN) }),
    ])
    await srv.storage.checkpoint()
    const file = JSON.parse(readFileSync(join(dataDir, 'tenants/dev/state/live/agents.json'), 'utf8')) as {
      items: Array<{ task_ends: unknown; runs: unknown; open_runs: unknown }>
    }
    // Regression: the whole EventRecord (with its segment reader) was written, ~3× the file size.
    expect(file.items[0]?.task_ends).toEqual([['t9', NOW - MIN, 2]])
    // The task's end closed its only run: neither the run nor an open-run entry is kept (E47 bookkeeping).
    expect(file.items[0]).toMatchObject({ runs: [], open_runs: [] })
  })

  it('when agents.json is a version 1 file, then a restart reads it and the next checkpoint writes version 2', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-agents-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await srv.close()
    // As the earlier format wrote it: run r1 of t1 open, t0 ended by its run end, action a1 ended, a2 open.
    const at = (ms: number, seq: number) => ({ ts: NOW - ms, seq })
    const v1 = {
      agent_id: 'w',
      metadata: { framework: { seq: 4, value: 'f1' } },
      environment: 'production',
      group: 'default',
      env_seq: 4,
      first_seen: NOW - 5 * MIN,
      last_seen: NOW - MIN,
      last_heartbeat: null,
      last_heartbeat_payload: null,
      last_event: { ...at(MIN, 4), type: 'action_started' },
      last_task: { ...at(MIN, 4), value: 't1' },
      last_project: null,
      latest_status_event: { ...at(MIN, 4), type: 'action_started' },
      registered: null,
      threshold: null,
      queue_summary: null,
      heartbeat_summary: null,
      runs: [
        ['t0\u0000r0', { taskId: 't0', projectId: null, start: at(5 * MIN, 1), end: at(4 * MIN, 2) }],
        ['t1\u0000r1', { taskId: 't1', projectId: null, start: at(2 * MIN, 3), end: null }],
      ],
      task_ends: [],
      open_runs: ['t0\u0000r0', 't1\u0000r1'],
      actions: [
        ['a1', { start: at(5 * MIN, 1), ended: true }],
        ['a2', { start: at(MIN, 4), ended: false }],
      ],
      open_actions: ['a2'],
    }
    const agentsFile = join(dataDir, 'tenants/dev/state/live/agents.json')
    mkdirSync(dirname(agentsFile), { recursive: true })
    writeFileSync(agentsFile, JSON.stringify({ version: 1, watermark: 4, items: [v1] }))
    srv = await startTestServer({ clock, dataDir })
    expect(await agents(srv)).toMatchObject({
      data: [{ agent_id: 'w', derived_status: 'processing', current_task_id: 't1' }],
    })
    // A late action_started of the ended action does not reopen it; ending a2 leaves nothing open.
    await ingestAt(srv, clock, NOW, 'w', [
      anEvent({ event_id: 'w5', event_type: 'action_started', action_id: 'a1', timestamp: ago(4 * MIN) }),
      anEvent({ event_id: 'w6', event_type: 'action_completed', action_id: 'a2', timestamp: ago(30_000) }),
    ])
    await srv.storage.checkpoint()
    const file = JSON.parse(readFileSync(agentsFile, 'utf8')) as {
      version: number
      items: Array<Record<string, unknown>>
    }
    expect(file.version).toBe(2)
    expect(file.items[0]).toMatchObject({
      runs: [
        ['t0', 'r0', null, NOW - 5 * MIN, 1, NOW - 4 * MIN, 2],
        ['t1', 'r1', null, NOW - 2 * MIN, 3, null, null],
      ],
      open_runs: ['t1\u0000r1'], // t0's run end closed it: only open work is listed
      ended_actions: ['a1', 'a2'],
      open_actions: [],
    })
    const expected = await agents(srv)
    await srv.close()
    srv = await startTestServer({ clock, dataDir })
    expect(await agents(srv)).toEqual(expected)
  })
})

describe('the timer checkpoint never holds the writer queue to serialise the registry', () => {
  it('when a batch lands while agents are being serialised, then the queued write uses that snapshot as taken', async () => {
    const server = await startTestServer()
    try {
      // More agents than one serialisation group (16), so serialising yields and a batch can land meanwhile.
      for (let i = 0; i < 40; i++) {
        const res = await server.post('/v1/ingest', { envelope: { agent_id: `agent-${i}` }, events: [anEvent()] })
        expect(res.status).toBe(200)
      }
      const ns = server.storage.namespace('dev', 'live') as unknown as { agentsWatermark: number }
      const taken = ns.agentsWatermark
      const checkpoint = server.storage.checkpoint()
      const res = await server.post('/v1/ingest', { envelope: { agent_id: 'late' }, events: [anEvent()] })
      expect(res.status).toBe(200)
      await checkpoint
      const written = (server.storage.namespace('dev', 'live') as unknown as { agentsWrittenWatermark: number })
        .agentsWrittenWatermark
      // Before the fix the queued job serialised all agents again (seconds at a million events, appends waiting).
      expect(written).toBe(taken)
      expect(ns.agentsWatermark).toBeGreaterThan(taken)
    } finally {
      await server.close()
    }
  })
})
