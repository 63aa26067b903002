import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { silentLogger } from '../src/logger.js'
import { JsonFileStorage } from '../src/storage/json-file/json-file-storage.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'
import { llm } from './analytics-fixture.js'
import { hourlySnapshot } from './helpers/hourly-snapshot.js'

const NOW = Date.parse('2026-02-15T10:00:00.000Z')
const ago = (ms: number) => new Date(NOW - ms).toISOString()
const HOUR = 3_600_000
const DAY = 86_400_000

let srv: TestServer | undefined
const dirs: string[] = []
afterEach(async () => {
  await srv?.close()
  srv = undefined
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-ckpt-'))
  dirs.push(dir)
  return dir
}

async function ingestAt(s: TestServer, clock: ManualClock, at: number, events: unknown[], agent = 'r1') {
  clock.set(at)
  const res = await s.post('/v1/ingest', { envelope: { agent_id: agent }, events })
  expect(res.status, await res.clone().text()).toBe(200)
  clock.set(NOW)
}

const call = (id: string, ts: string, data: Record<string, unknown>) => llm(data, { event_id: id, timestamp: ts })
const hourly = (s: TestServer) => hourlySnapshot(s.storage.namespace('dev', 'live').hourly)
const rollupsDir = (dataDir: string) => join(dataDir, 'tenants/dev/state/live/rollups')

describe('rollup checkpoints (events.md E133, E137 step 4)', () => {
  it('when restarting with current, stale, missing or corrupt checkpoints, then the rollups equal an uninterrupted run', async () => {
    const dataDir = tempDir()
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await ingestAt(srv, clock, NOW - 2 * HOUR, [
      call('c1', ago(2 * HOUR), { model: 'gpt-4o', name: 'plan', tokens_in: 100, tokens_out: 10, cost: 0.25 }),
      anEvent({
        event_id: 'f1',
        event_type: 'action_failed',
        timestamp: ago(2 * HOUR),
        payload: { exception_type: 'IOError' },
      }),
    ])
    await ingestAt(srv, clock, NOW - DAY, [anEvent({ event_id: 'h1', event_type: 'heartbeat', timestamp: ago(DAY) })])
    await srv.storage.checkpoint()
    const stale = tempDir()
    cpSync(rollupsDir(dataDir), stale, { recursive: true })
    expect(readdirSync(stale).sort()).toEqual(['2026-02-14.json', '2026-02-15.json'])
    const staleWatermark = (JSON.parse(readFileSync(join(stale, '2026-02-15.json'), 'utf8')) as { watermark: number })
      .watermark

    // After the checkpoint: the same hour again (a stale file must not double-count c1) and a new one.
    await ingestAt(srv, clock, NOW - HOUR, [
      call('c2', ago(2 * HOUR - 1000), { model: 'gpt-4o', name: 'plan', tokens_in: 900, tokens_out: 1, cost: 0.5 }),
      call('c3', ago(HOUR), { model: 'claude-sonnet-4', name: 'judge', tokens_in: 5, tokens_out: 5, cost: 0.1 }),
    ])
    const expected = hourly(srv)
    expect(expected).toMatchObject({
      models: [{ rows: { 'gpt-4o': { call_count: 2, cost_micros: 750_000, max_tokens_in: 900 } } }, {}],
    })
    await srv.close() // checkpoints at shutdown
    const saved = JSON.parse(readFileSync(join(rollupsDir(dataDir), '2026-02-15.json'), 'utf8')) as {
      watermark: number
    }
    expect(saved.watermark).toBeGreaterThan(staleWatermark)

    const restart = async () => {
      srv = await startTestServer({ clock, dataDir })
      expect(hourly(srv)).toEqual(expected)
      await srv.close()
      srv = undefined
    }
    await restart() // current checkpoints
    rmSync(rollupsDir(dataDir), { recursive: true })
    cpSync(stale, rollupsDir(dataDir), { recursive: true })
    await restart() // stale watermark: only c2, c3 re-applied
    rmSync(rollupsDir(dataDir), { recursive: true })
    await restart() // missing: rebuilt from the retained lines
    writeFileSync(join(rollupsDir(dataDir), '2026-02-15.json'), '{"version": 1, "day": "2026-02-15", "waterm')
    await restart() // corrupt: rebuilt, never a refusal to start
  })

  it('when raw events are TTL-pruned, then their hourly rollups stay, survive restart and ignore a re-sent copy', async () => {
    const dataDir = tempDir()
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    const old = [
      call('o1', ago(8 * DAY), { model: 'gpt-4o', name: 'plan', tokens_in: 10, tokens_out: 1, cost: 0.5 }),
      anEvent({ event_id: 'o2', event_type: 'heartbeat', timestamp: ago(8 * DAY), payload: { summary: 's' } }),
    ]
    await ingestAt(srv, clock, NOW - 8 * DAY, old)
    const expected = hourly(srv)
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 2, cold_pruned: 0, total_pruned: 2 })
    expect(existsSync(join(dataDir, 'tenants/dev/events/live/2026-02-07.ndjson'))).toBe(false)
    // The checkpoint was written before the segment went (E133 "before any compaction").
    expect(existsSync(join(rollupsDir(dataDir), '2026-02-07.json'))).toBe(true)
    expect(hourly(srv)).toEqual(expected)
    const row = srv.storage
      .namespace('dev', 'live')
      .hourly.agentHourly.get(NOW - 8 * DAY)
      ?.get('r1')
    expect(row).toMatchObject({
      llm_call_count: 1,
      llm_cost_micros: 500_000,
      heartbeat_count: 1,
      calls_by_name: { plan: 1 },
    })

    await srv.close()
    srv = await startTestServer({ clock, dataDir })
    expect(hourly(srv)).toEqual(expected)
    // E137 step 3: with every segment line gone, seq continues above the checkpoint watermark.
    await ingestAt(srv, clock, NOW, [anEvent({ event_id: 'n1', event_type: 'custom', timestamp: ago(0) })])
    const segment = join(dataDir, 'tenants/dev/events/live/2026-02-15.ndjson')
    const line = readFileSync(segment, 'utf8').trim().split('\n').pop()
    const checkpoint = readFileSync(join(rollupsDir(dataDir), '2026-02-07.json'), 'utf8')
    expect((JSON.parse(line ?? '{}') as { seq: number }).seq).toBeGreaterThan(
      (JSON.parse(checkpoint) as { watermark: number }).watermark,
    )

    // E26: a copy re-sent after retention deleted the first one is stored again but never counted twice (E85).
    const oldHour = () => srv?.storage.namespace('dev', 'live').hourly.agentHourly.get(NOW - 8 * DAY)
    const before = structuredClone(oldHour())
    await ingestAt(srv, clock, NOW, old)
    expect(oldHour()).toEqual(before)
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 2, cold_pruned: 0, total_pruned: 2 })
  })
})

describe('retention state at start', () => {
  it('when state/prune.json is unparsable, then the storage refuses to open, naming the file', async () => {
    const dataDir = tempDir()
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir })
    await ingestAt(srv, clock, NOW, [anEvent({ event_id: 'e1', event_type: 'custom', timestamp: ago(0) })])
    await srv.close()
    srv = undefined
    writeFileSync(join(dataDir, 'tenants/dev/state/prune.json'), '{"pruned_before": "2026-')
    const storage = new JsonFileStorage({ dataDir, logger: silentLogger() })
    await expect(storage.open()).rejects.toThrow(/tenants\/dev\/state\/prune\.json/)
  })
})

describe('rollup retention (events.md E126)', () => {
  it('when rollup days pass rollup_retention_days, then exactly those day files are deleted', async () => {
    const dataDir = tempDir()
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir, config: { rollup_retention_days: 10 } })
    await ingestAt(srv, clock, NOW - 8 * DAY, [
      anEvent({ event_id: 'd8', event_type: 'custom', timestamp: ago(8 * DAY) }),
    ])
    await ingestAt(srv, clock, NOW - 7 * DAY, [
      anEvent({ event_id: 'd7', event_type: 'custom', timestamp: ago(7 * DAY - HOUR) }),
    ])
    expect((await srv.running.app.services.retention.run()).ttl_pruned).toBe(1)
    expect(readdirSync(rollupsDir(dataDir)).sort()).toEqual(['2026-02-07.json', '2026-02-08.json'])

    // 10 days after 2026-02-07T10:00: the day holding the horizon (2026-02-07) is still kept …
    clock.set(NOW + 2 * DAY)
    await srv.running.app.services.retention.run()
    expect(readdirSync(rollupsDir(dataDir)).sort()).toEqual(['2026-02-07.json', '2026-02-08.json'])
    // … and goes, whole, once the horizon passes its end.
    clock.set(NOW + 3 * DAY)
    await srv.running.app.services.retention.run()
    expect(readdirSync(rollupsDir(dataDir)).sort()).toEqual(['2026-02-08.json'])
    const hours = [...srv.storage.namespace('dev', 'live').hourly.agentHourly.keys()]
    expect(hours.map((h) => new Date(h).toISOString())).toEqual(['2026-02-08T11:00:00.000Z'])
  })

  it('when rollup_retention_days is below the tenant retention, then rollups live as long as the events', async () => {
    const dataDir = tempDir()
    const clock = new ManualClock(NOW)
    srv = await startTestServer({ clock, dataDir, config: { rollup_retention_days: 1 } })
    await ingestAt(srv, clock, NOW - 5 * DAY, [
      anEvent({ event_id: 'd5', event_type: 'custom', timestamp: ago(5 * DAY) }),
    ])
    expect(await srv.running.app.services.retention.run()).toEqual({ ttl_pruned: 0, cold_pruned: 0, total_pruned: 0 })
    expect(srv.storage.namespace('dev', 'live').hourly.agentHourly.size).toBe(1)
  })
})
