import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'
import { hourlySnapshot } from './helpers/hourly-snapshot.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const ago = (ms: number) => new Date(NOW - ms).toISOString()
const MIN = 60_000
const DAY = 86_400_000

let srv: TestServer | undefined
let dataDir: string
afterEach(async () => {
  await srv?.close()
  srv = undefined
  rmSync(dataDir, { recursive: true, force: true })
})

async function ingestAt(s: TestServer, clock: ManualClock, at: number, events: unknown[]): Promise<void> {
  clock.set(at)
  const res = await s.post('/v1/ingest', { envelope: { agent_id: 'r1' }, events })
  expect(res.status, await res.clone().text()).toBe(200)
}

const ev = (id: string, type: string, ts: string, extra: Record<string, unknown> = {}) =>
  anEvent({ event_id: id, event_type: type, timestamp: ts, ...extra })

/** Three days ago (closed segment 2026-02-12), yesterday (2026-02-14) and today, each with cold events. */
async function ingestThreeDays(s: TestServer, clock: ManualClock): Promise<void> {
  await ingestAt(s, clock, NOW - 3 * DAY, [
    ev('old-start', 'task_started', ago(3 * DAY), { task_id: 'old' }),
    ev('old-hb', 'heartbeat', ago(3 * DAY - MIN)),
    ev('old-hb-payload', 'heartbeat', ago(3 * DAY - 2 * MIN), { payload: { summary: 'busy' } }),
    ev('old-astart', 'action_started', ago(3 * DAY - 3 * MIN), { task_id: 'old', action_id: 'a1' }),
    ev('old-adone', 'action_completed', ago(3 * DAY - 4 * MIN), {
      task_id: 'old',
      action_id: 'a1',
      payload: { action_name: 'fetch' },
    }),
    ev('old-done', 'task_completed', ago(3 * DAY - 5 * MIN), { task_id: 'old', duration_ms: 300_000 }),
  ])
  await ingestAt(s, clock, NOW - DAY, [
    ev('y-hb', 'heartbeat', ago(DAY)),
    ev('y-done', 'task_completed', ago(DAY), { task_id: 'y' }),
  ])
  await ingestAt(s, clock, NOW - 11 * MIN, [ev('t-hb', 'heartbeat', ago(11 * MIN)), ev('t-custom', 'custom', ago(MIN))])
  clock.set(NOW)
}

async function visible(s: TestServer): Promise<Array<[string, string]>> {
  const res = await s.get('/v1/events?exclude_heartbeats=false&limit=200')
  const body = (await res.json()) as { data: Array<{ event_id: string; event_type: string }> }
  return body.data.map((e): [string, string] => [e.event_id, e.event_type]).sort()
}

async function timeline(s: TestServer, taskId: string): Promise<unknown> {
  const res = await s.get(`/v1/tasks/${taskId}/timeline`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { events: Array<{ event_id: string; payload: unknown }> }
  return body.events.map((e) => [e.event_id, e.payload])
}

const lineIds = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { event_id: string }).event_id)

describe('segment rewrite (events.md E125)', () => {
  it('when a closed segment two days old has cold lines, then it is rewritten once without them and reads stay right', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-rw-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await ingestThreeDays(srv, clock)
    const live = join(dataDir, 'tenants/dev/events/live')
    const hourlyBefore = hourlySnapshot(srv.storage.namespace('dev', 'live').hourly)

    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 0, cold_pruned: 5, total_pruned: 5 })
    expect(lineIds(join(live, '2026-02-12.ndjson'))).toEqual(['old-start', 'old-adone', 'old-done'])
    // Today's and yesterday's segments keep their cold lines (only logically removed).
    expect(lineIds(join(live, '2026-02-14.ndjson'))).toEqual(['y-hb', 'y-done'])
    expect(lineIds(join(live, '2026-02-15.ndjson'))).toEqual(['t-hb', 't-custom'])
    const statePath = join(dataDir, 'tenants/dev/state/prune.json')
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual({ pruned_before: null, compacted: ['live/2026-02-12'] })
    // Offsets moved with the rewrite: every read returns the right line.
    const expected: Array<[string, string]> = [
      ['old-adone', 'action_completed'],
      ['old-done', 'task_completed'],
      ['old-start', 'task_started'],
      ['t-custom', 'custom'],
      ['y-done', 'task_completed'],
    ]
    expect(await visible(srv)).toEqual(expected)
    const oldTimeline = await timeline(srv, 'old')
    expect(oldTimeline).toEqual([
      ['old-start', null],
      ['old-adone', { action_name: 'fetch' }],
      ['old-done', null],
    ])
    // E124/E85: the hourly rollups keep the compacted heartbeats and action_started.
    expect(hourlySnapshot(srv.storage.namespace('dev', 'live').hourly)).toEqual(hourlyBefore)
    const hour = srv.storage
      .namespace('dev', 'live')
      .hourly.agentHourly.get(NOW - 3 * DAY)
      ?.get('r1')
    expect(hour).toMatchObject({ heartbeat_count: 2, actions_started: 1, last_heartbeat_payload: { summary: 'busy' } })

    // E123: nothing left to remove → no write of any kind.
    const stamps = () => [statePath, ...readdirSync(live).map((n) => join(live, n))].map((p) => statSync(p).mtimeMs)
    const before = stamps()
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 0, cold_pruned: 0, total_pruned: 0 })
    expect(stamps()).toEqual(before)

    await srv.close()
    srv = await startTestServer({ clock, dataDir })
    expect(await visible(srv)).toEqual(expected)
    expect(await timeline(srv, 'old')).toEqual(oldTimeline)
    expect(hourlySnapshot(srv.storage.namespace('dev', 'live').hourly)).toEqual(hourlyBefore)

    // A day later yesterday's segment is two days old: rewritten in turn; the first is not rewritten again.
    clock.set(NOW + DAY)
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 0, cold_pruned: 0, total_pruned: 0 })
    expect(lineIds(join(live, '2026-02-14.ndjson'))).toEqual(['y-done'])
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toEqual({
      pruned_before: null,
      compacted: ['live/2026-02-12', 'live/2026-02-14'],
    })
    expect(await visible(srv)).toEqual(expected)
  })

  it('when the server crashed with the rewrite written but not renamed, then restart keeps the old file and redoes it', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-rw-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await ingestThreeDays(srv, clock)
    await srv.close()
    const segment = join(dataDir, 'tenants/dev/events/live/2026-02-12.ndjson')
    const original = readFileSync(segment, 'utf8')
    // The temp file of an interrupted rewrite: half of the kept lines, never renamed.
    writeFileSync(`${segment}.tmp-99999-0`, original.split('\n')[0] ?? '')

    srv = await startTestServer({ clock, dataDir })
    expect(existsSync(`${segment}.tmp-99999-0`)).toBe(false)
    // The start-up prune (E137 step 5) removed the cold events again and rewrote the segment.
    expect(lineIds(segment)).toEqual(['old-start', 'old-adone', 'old-done'])
    const afterRewrite = await visible(srv)
    expect(afterRewrite.map(([id]) => id)).toEqual(['old-adone', 'old-done', 'old-start', 't-custom', 'y-done'])

    // Crash after the rename but before prune.json recorded it: the next start has nothing to redo.
    await srv.close()
    const statePath = join(dataDir, 'tenants/dev/state/prune.json')
    writeFileSync(statePath, JSON.stringify({ pruned_before: null, compacted: [] }))
    const rewritten = statSync(segment).mtimeMs
    srv = await startTestServer({ clock, dataDir })
    expect(await visible(srv)).toEqual(afterRewrite)
    expect(statSync(segment).mtimeMs).toBe(rewritten)
  })

  it('when a TTL cutoff falls inside an old segment, then its expired lines go with its one rewrite', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-rw-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    // Received 3 days ago, but one event is timestamped 8 days back (late data): TTL-removed, segment kept.
    await ingestAt(srv, clock, NOW - 3 * DAY, [
      ev('late', 'task_completed', ago(8 * DAY), { task_id: 'late' }),
      ev('fresh', 'task_completed', ago(3 * DAY), { task_id: 'fresh' }),
    ])
    clock.set(NOW)
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 1, cold_pruned: 0, total_pruned: 1 })
    const segment = join(dataDir, 'tenants/dev/events/live/2026-02-12.ndjson')
    expect(lineIds(segment)).toEqual(['fresh'])
    expect((await srv.get('/v1/tasks/late/timeline')).status).toBe(404)
    expect((await srv.get('/v1/tasks/fresh/timeline')).status).toBe(200)
  })
})
