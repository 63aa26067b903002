import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ev, ingest } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()
const BENCH_RESULTS = join(dirname(fileURLToPath(import.meta.url)), '../../bench-results')

/** D70: 200 agents and 10,000 events; first meaningful paint = `hb:fmp` (hive cards and ribbon figures shown). */
describe.runIf(run)('first meaningful paint', () => {
  let srv: TestServer
  let browser: Browser

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    const now = Date.now()
    const jobs: Promise<void>[] = []
    for (let a = 0; a < 200; a++) {
      const events = [ev('agent_registered', now - 3_600_000)]
      for (let i = 0; i < 49; i++) {
        const t = now - 3_000_000 + i * 60_000 + a
        const task = `t-${a}-${Math.floor(i / 7)}`
        const type = i % 7 === 0 ? 'task_started' : i % 7 === 6 ? 'task_completed' : 'action_completed'
        events.push(
          ev(type, t, {
            task_id: task,
            action_id: type === 'action_completed' ? `act-${a}-${i}` : null,
            duration_ms: 1000,
          }),
        )
      }
      jobs.push(ingest(srv, `agent-${String(a).padStart(3, '0')}`, events))
      if (jobs.length === 8) await Promise.all(jobs.splice(0))
    }
    await Promise.all(jobs)
    browser = await launch()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
  })

  it('paints the hive and ribbon of 200 agents from a cold cache and records the time (D70)', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.addInitScript((key) => localStorage.setItem('hiveboard_api_key', key), srv.keys.live)
    const page = await context.newPage()
    await page.goto(`${srv.url}/static/index.html`)
    await page.waitForFunction(() => performance.getEntriesByName('hb:fmp').length > 0, null, { timeout: 10_000 })
    const fmp = await page.evaluate(() => performance.getEntriesByName('hb:fmp')[0]?.startTime ?? -1)
    const cards = await page.$$eval('.agent-card', (e) => e.length)
    console.log(`FMP (hb:fmp) with 200 agents / 10,000 events: ${Math.round(fmp)} ms, ${cards} cards`)
    expect(cards).toBe(200)
    expect(await page.textContent('.stat.total .stat-value')).toBe('200')
    expect(fmp).toBeGreaterThan(0)
    // The 1.5 s target (D70) is checked by `pnpm --filter @hiveboard/dashboard bench`, which reads this figure:
    // a timed assertion here would fail whenever the CI box is busy, without saying anything about the product.
    mkdirSync(BENCH_RESULTS, { recursive: true })
    writeFileSync(join(BENCH_RESULTS, 'fmp.json'), JSON.stringify({ fmp_ms: Math.round(fmp), agents: cards }) + '\n')
    await shot(page, 'mission-control-200-agents')
    await context.close()
  })
})
