import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const ago = (ms: number) => new Date(NOW - ms).toISOString()
const MIN = 60_000
const DAY = 86_400_000

let srv: TestServer | undefined
let dataDir: string
afterEach(async () => {
  await srv?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function ingestAt(s: TestServer, clock: ManualClock, at: number, events: unknown[]): Promise<void> {
  clock.set(at)
  const res = await s.post('/v1/ingest', { envelope: { agent_id: 'r1' }, events })
  expect(res.status, await res.clone().text()).toBe(200)
}

async function eventIds(s: TestServer): Promise<string[]> {
  const res = await s.get('/v1/events?exclude_heartbeats=false&limit=200')
  const body = (await res.json()) as { data: Array<{ event_id: string }> }
  return body.data.map((e) => e.event_id).sort()
}

/** Files this process holds open (Linux /proc). */
function openPaths(): string[] {
  return readdirSync('/proc/self/fd').map((fd) => {
    try {
      return readlinkSync(join('/proc/self/fd', fd))
    } catch {
      return ''
    }
  })
}

describe('retention (events.md §7)', () => {
  it('when events age out, then exactly TTL and cold events go, everywhere, also after restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-ret-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    const ev = (id: string, type: string, ts: string, extra: Record<string, unknown> = {}) =>
      anEvent({ event_id: id, event_type: type, timestamp: ts, ...extra })
    await ingestAt(srv, clock, NOW - 8 * DAY, [ev('ttl-task', 'task_completed', ago(8 * DAY), { task_id: 'old' })])
    await ingestAt(srv, clock, NOW - 6 * DAY, [ev('kept-action', 'action_completed', ago(6 * DAY), { action_id: 'x' })])
    await ingestAt(srv, clock, NOW - 25 * 60 * MIN, [
      ev('cold-start', 'action_started', ago(25 * 60 * MIN), { action_id: 'y' }),
    ])
    await ingestAt(srv, clock, NOW - 23 * 60 * MIN, [
      ev('kept-start', 'action_started', ago(23 * 60 * MIN), { action_id: 'z' }),
    ])
    await ingestAt(srv, clock, NOW - 9 * MIN, [
      ev('cold-hb', 'heartbeat', ago(11 * MIN)),
      ev('kept-hb', 'heartbeat', ago(9 * MIN)),
    ])
    clock.set(NOW)
    const segments = join(dataDir, 'tenants/dev/events/live')
    expect(readdirSync(segments)).toContain('2026-02-07.ndjson')
    // Reading the old task opens a read descriptor on its segment.
    expect((await srv.get('/v1/tasks/old/timeline')).status).toBe(200)

    const result = await srv.running.app.services.retention.run()
    expect(result).toEqual({ ttl_pruned: 1, cold_pruned: 2, total_pruned: 3 })
    expect(await eventIds(srv)).toEqual(['kept-action', 'kept-hb', 'kept-start'])
    expect((await srv.get('/v1/tasks/old/timeline')).status).toBe(404)
    expect(readdirSync(segments)).not.toContain('2026-02-07.ndjson')
    // Regression: a deleted segment's read descriptor stayed open, keeping its disk space allocated.
    expect(openPaths().some((p) => p.includes('2026-02-07.ndjson'))).toBe(false)
    const statePath = join(dataDir, 'tenants/dev/state/prune.json')
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { pruned_before: string }
    expect(state.pruned_before).toBe(ago(7 * DAY))

    // E123: a run that removes nothing writes nothing.
    const mtime = statSync(statePath).mtimeMs
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 0, cold_pruned: 0, total_pruned: 0 })
    expect(statSync(statePath).mtimeMs).toBe(mtime)

    await srv.close()
    srv = await startTestServer({ clock, dataDir })
    expect(await eventIds(srv)).toEqual(['kept-action', 'kept-hb', 'kept-start'])
    expect(existsSync(statePath)).toBe(true)
  })

  it('when the tenant is on a longer plan via config, then nothing is TTL-pruned', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-ret-'))
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir, config: { retention_days: 30 } })
    await ingestAt(srv, clock, NOW - 8 * DAY, [
      anEvent({ event_id: 'old', event_type: 'task_completed', timestamp: ago(8 * DAY) }),
    ])
    clock.set(NOW)
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 0, cold_pruned: 0, total_pruned: 0 })
    expect(existsSync(join(dataDir, 'tenants/dev/state/prune.json'))).toBe(false)
  })
})
