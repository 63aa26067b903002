/** Alert history retention (events.md E126): whole day files after rollup_retention_days, never below the tenant's. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'
import { call, createRule } from './alerts-helpers.js'

const T0 = Date.parse('2026-02-15T10:00:00.000Z')
const DAY = 86_400_000

let srv: TestServer | undefined
let dataDir: string
afterEach(async () => {
  await srv?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function failTaskAt(s: TestServer, clock: ManualClock, at: number, taskId: string): Promise<void> {
  clock.set(at)
  const res = await s.post('/v1/ingest', {
    envelope: { agent_id: 'worker' },
    events: [anEvent({ event_type: 'task_failed', task_id: taskId, timestamp: new Date(at).toISOString() })],
  })
  expect(res.status).toBe(200)
}

async function historyTasks(s: TestServer): Promise<string[]> {
  const res = await call(s, 'GET', '/v1/alerts/history?limit=200')
  return (res.body as { data: { related_task_id: string }[] }).data.map((r) => r.related_task_id)
}

const alertDays = () => {
  const dir = join(dataDir, 'tenants', 'dev', 'alerts')
  return existsSync(dir) ? readdirSync(dir).sort() : []
}

async function start(clock: ManualClock, config: Record<string, unknown> = {}, devKey?: string) {
  return startTestServer({ clock, dataDir, config, ...(devKey === undefined ? {} : { devKey }) })
}

describe('alert history retention (E126)', () => {
  it('a day file goes exactly when its whole day is older than rollup_retention_days, also after restart', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-alert-ret-'))
    const clock = new ManualClock(T0)
    srv = await start(clock, { rollup_retention_days: 90 })
    await createRule(srv, { condition_type: 'task_failed', cooldown_seconds: 0 })
    await failTaskAt(srv, clock, T0, 'old')
    await failTaskAt(srv, clock, T0 + 30 * DAY, 'recent')
    expect(alertDays()).toEqual(['2026-02-15.ndjson', '2026-03-17.ndjson'])

    // 2026-02-15 ends at 02-16T00:00; + 90 days = 2026-05-17T00:00. One millisecond earlier: nothing goes.
    clock.set(Date.parse('2026-05-16T23:59:59.999Z'))
    expect(await srv.running.app.services.retention.pruneAlertHistory()).toBe(0)
    expect(await historyTasks(srv)).toEqual(['recent', 'old'])

    clock.set(Date.parse('2026-05-17T00:00:00.000Z'))
    await srv.running.app.services.retention.run()
    expect(alertDays()).toEqual(['2026-03-17.ndjson'])
    expect(await historyTasks(srv)).toEqual(['recent'])
    const rules = await call(srv, 'GET', '/v1/alerts/rules')
    expect((rules.body as { data: { last_fired_at: string }[] }).data[0]?.last_fired_at).toBe(
      new Date(T0 + 30 * DAY).toISOString(),
    )

    const key = srv.keys.live
    await srv.close({ keepData: true })
    srv = await start(clock, { rollup_retention_days: 90 }, key)
    expect(await historyTasks(srv)).toEqual(['recent'])
  })

  it('never below the tenant retention: retention_days 120 keeps what rollup_retention_days 90 would drop', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'hb-alert-ret-'))
    const clock = new ManualClock(T0)
    srv = await start(clock, { rollup_retention_days: 90, retention_days: 120 })
    await createRule(srv, { condition_type: 'task_failed', cooldown_seconds: 0 })
    await failTaskAt(srv, clock, T0, 'old')

    clock.set(Date.parse('2026-05-17T00:00:00.000Z'))
    expect(await srv.running.app.services.retention.pruneAlertHistory()).toBe(0)
    expect(alertDays()).toEqual(['2026-02-15.ndjson'])

    // 02-16T00:00 + 120 days = 2026-06-16T00:00.
    clock.set(Date.parse('2026-06-16T00:00:00.000Z'))
    expect(await srv.running.app.services.retention.pruneAlertHistory()).toBe(1)
    expect(alertDays()).toEqual([])
    expect(await historyTasks(srv)).toEqual([])
    // Its only firing is gone, so the rule no longer reports one.
    const rules = await call(srv, 'GET', '/v1/alerts/rules')
    expect((rules.body as { data: { last_fired_at: string | null }[] }).data[0]?.last_fired_at).toBeNull()
  })
})
