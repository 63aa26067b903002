/**
 * The dashboard on the real local WebSocket stream (realtime.md §2, dashboard.md D12–D15): live pill, events on the
 * stream and cards without reload, the stuck banner pushed by the server, and catch-up after a dropped socket.
 */
import { rmSync } from 'node:fs'
import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { atNow, seed, send, type Fleet } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()

interface StreamHooks {
  __hbSockets: WebSocket[]
  __hbBlockStream: boolean
}

/**
 * Test-side network control, installed before the page's scripts: every socket the page opens is recorded (so the
 * test can drop it), and while `__hbBlockStream` is set new sockets go to a path the server refuses (404), as if the
 * stream were unreachable. The dashboard's own code is untouched.
 */
function installStreamHooks(): void {
  const w = window as unknown as StreamHooks & { WebSocket: typeof WebSocket }
  const Real = w.WebSocket
  w.__hbSockets = []
  w.__hbBlockStream = false
  w.WebSocket = class extends Real {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(w.__hbBlockStream ? String(url).replace('/v1/stream', '/v1/stream-blocked') : url, protocols)
      w.__hbSockets.push(this)
    }
  }
}

describe.runIf(run)('dashboard on the live stream', () => {
  let srv: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let fleet: Fleet
  const errors: string[] = []

  const pill = () => page.textContent('.pill')
  const streamHas = (text: string, timeout = 10_000) =>
    page.waitForFunction((t) => document.querySelector('.stream-list')?.textContent?.includes(t) === true, text, {
      timeout,
    })

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({
      config: { dashboard_dir: DIST, stuck_check_interval_seconds: 1 },
      clock: systemClock,
      liveStream: true,
    })
    fleet = await seed(srv)
    browser = await launch()
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.addInitScript((key) => localStorage.setItem('hiveboard_api_key', key), srv.keys.live)
    await context.addInitScript(installStreamHooks)
    page = await context.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${srv.url}/static/index.html`)
    await page.waitForSelector('.agent-card[data-agent-id="lead-qualifier"]')
  }, 60_000)

  let dataDir: string | undefined

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await fleet?.close()
    await srv?.close()
    if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
  })

  it('subscribes over the local WebSocket: the pill says Live (D12, D14)', async () => {
    await page.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live', null, { timeout: 10_000 })
    expect(await page.evaluate(() => (window as unknown as StreamHooks).__hbSockets.length)).toBe(1)
    await shot(page, 'mission-control-live')
  })

  it('a new event appears in the activity stream and on its agent card without reload (D13, D23, D45)', async () => {
    expect(await page.isVisible('.agent-card[data-agent-id="lead-qualifier"] .card-task')).toBe(true)
    const sent = Date.now()
    atNow(() => fleet.lead2.complete())
    await send(fleet.hb)
    await streamHas('lead-qualifier completed task-lead-2')
    console.log(`SDK flush → activity stream (live): ${Date.now() - sent} ms`)
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('.agent-card[data-agent-id="lead-qualifier"] .card-task')?.hidden === true,
      null,
      { timeout: 5000 },
    )
    expect(await pill()).toBe('Live')
    expect(await page.evaluate(() => (window as unknown as StreamHooks).__hbSockets.length)).toBe(1)
  })

  it('a stuck agent gets its banner, pushed by the server (D51, R agent.stuck)', async () => {
    const owl = atNow(() =>
      fleet.hb.agent('night-owl', { type: 'worker', heartbeatIntervalMs: 0, stuckThresholdS: 10 }),
    )
    atNow(() => owl.startTask('task-owl-1', { type: 'watch' }))
    atNow(() => owl.event('heartbeat', { summary: 'watching' }))
    await send(fleet.hb)
    await page.waitForSelector('.agent-card[data-agent-id="night-owl"]', { timeout: 10_000 })
    expect(await page.textContent('.agent-card[data-agent-id="night-owl"] .badge')).toContain('Processing')
    // No more heartbeats: after 10 s the server's detector pushes agent.stuck (checked every second here).
    await page.waitForFunction(
      () => document.querySelector('.stuck-banner:not([hidden])')?.textContent?.includes('2 agents stuck') === true,
      null,
      { timeout: 25_000 },
    )
    expect(await page.textContent('.agent-card[data-agent-id="night-owl"] .badge')).toContain('Stuck')
    expect(await page.textContent('.stat-toggle.status-stuck .stat-value')).toBe('2')
    expect(await pill()).toBe('Live')
    await shot(page, 'stuck-banner-live')
  }, 40_000)

  it('the Insights page is live on the same client: a new event and a new agent show without reload (D54)', async () => {
    const insights = await context.newPage()
    insights.on('pageerror', (e) => errors.push(`insights: ${e.message}`))
    await insights.goto(`${srv.url}/static/insights.html`)
    await insights.waitForSelector('.newest-list li')
    await insights.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live', null, {
      timeout: 10_000,
    })
    expect(await insights.evaluate(() => (window as unknown as StreamHooks).__hbSockets.length)).toBe(1)
    // While the socket carries them, no event polling: what arrives came over the stream.
    const polls: string[] = []
    insights.on('request', (r) => r.url().includes('/v1/events?') && polls.push(r.url()))
    const probe = atNow(() =>
      fleet.hb.agent('insights-probe', { type: 'worker', version: '3.1.0', heartbeatIntervalMs: 0 }),
    )
    atNow(() => probe.event('heartbeat', { summary: 'probing' }))
    await send(fleet.hb)
    await insights.waitForFunction(
      () => document.querySelector('.newest-list li')?.textContent?.includes('insights-probe registered') === true,
      null,
      { timeout: 10_000 },
    )
    await insights.waitForSelector('.agent-select option[value="insights-probe"]', { state: 'attached' })
    expect(polls.filter((u) => !u.includes('event_type='))).toEqual([])
    await shot(insights, 'insights-live')
    await insights.close()
  }, 30_000)

  it('after the socket drops, events stored meanwhile appear through catch-up on reconnect (D15, R45)', async () => {
    const catchUps: string[] = []
    page.on('request', (r) => {
      const url = new URL(r.url())
      if (url.pathname === '/v1/events' && url.searchParams.has('since'))
        catchUps.push(url.searchParams.get('since') ?? '')
    })
    // A fresh newest-seen event just before the drop.
    atNow(() => fleet.etl.reportIssue('Before the drop', 'low'))
    await send(fleet.hb)
    await streamHas('Before the drop')
    await page.evaluate(() => {
      const w = window as unknown as StreamHooks
      w.__hbBlockStream = true
      w.__hbSockets[w.__hbSockets.length - 1]?.close()
    })
    await page.waitForFunction(() => document.querySelector('.pill')?.textContent !== 'Live')
    const missedAt = Date.now()
    atNow(() => fleet.etl.reportIssue('Missed while offline', 'low'))
    await send(fleet.hb)
    expect(await page.textContent('.stream-list')).not.toContain('Missed while offline')
    await page.evaluate(() => {
      ;(window as unknown as StreamHooks).__hbBlockStream = false
    })
    await page.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live', null, { timeout: 20_000 })
    await streamHas('Missed while offline')
    // Catch-up asks from the newest event seen − 60 s; polling would ask from the newest seen itself.
    expect(catchUps.some((since) => Date.parse(since) <= missedAt - 60_000)).toBe(true)
    expect(
      await page.$$eval(
        '.stream-list .ev',
        (els) => els.filter((e) => e.textContent?.includes('Missed while offline')).length,
      ),
    ).toBe(1)
    expect(errors).toEqual([])
  }, 40_000)

  it('a server restart during ingest loses no event: the SDK retries, the page reconnects and shows them all (D73)', async () => {
    atNow(() => fleet.etl.reportIssue('Before restart', 'low'))
    await send(fleet.hb)
    await streamHas('Before restart')
    const port = new URL(srv.url).port
    dataDir = srv.dataDir
    await srv.close({ keepData: true })
    await page.waitForFunction(() => document.querySelector('.pill')?.textContent !== 'Live')
    // Emitted while the server is down: queued by the SDK, which retries until it is back.
    atNow(() => fleet.etl.reportIssue('During restart', 'low'))
    const flushed = send(fleet.hb)
    srv = await startTestServer({
      config: { dashboard_dir: DIST, stuck_check_interval_seconds: 1, port: Number(port) },
      clock: systemClock,
      liveStream: true,
      dataDir,
      devKey: srv.keys.live,
    })
    await flushed
    await page.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live', null, { timeout: 30_000 })
    await streamHas('During restart', 15_000)
    atNow(() => fleet.etl.reportIssue('After restart', 'low'))
    await send(fleet.hb)
    await streamHas('After restart')
    const stored = (await (await srv.get('/v1/events?agent_id=nightly-etl&payload_kind=issue&limit=50')).json()) as {
      data: { payload: { summary?: string } | null }[]
    }
    const summaries = stored.data.map((e) => e.payload?.summary)
    for (const s of ['Before restart', 'During restart', 'After restart', 'Missed while offline'])
      expect(summaries.filter((x) => x === s)).toHaveLength(1)
    for (const s of ['Before restart', 'During restart', 'After restart']) {
      expect(
        await page.$$eval('.stream-list .ev', (els, t) => els.filter((e) => e.textContent?.includes(t)).length, s),
      ).toBe(1)
    }
    await shot(page, 'live-after-restart')
  }, 60_000)
})
