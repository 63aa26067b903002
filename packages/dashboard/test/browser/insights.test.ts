/** Insights page against the SDK fixture (D54–D57): agent picker, Investigation, failing actions, reliability. */
import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { atNow, seed, send, type Fleet } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()

describe.runIf(run)('Insights on the SDK fixture', () => {
  let srv: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let fleet: Fleet
  const errors: string[] = []

  const text = (selector: string) => page.textContent(selector)
  const texts = (selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ''))

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    fleet = await seed(srv)
    browser = await launch()
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.addInitScript((key) => localStorage.setItem('hiveboard_api_key', key), srv.keys.live)
    page = await context.newPage()
    page.on('pageerror', (e) => errors.push(e.message))
  }, 60_000)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await fleet?.close()
    await srv?.close()
  })

  it('Glance: fleet, attention, stuck agents and the 20 newest events, LIVE while fresh (D55)', async () => {
    atNow(() => fleet.lead.event('custom', { kind: 'note', summary: 'Fresh note' }))
    await send(fleet.hb)
    await page.goto(`${srv.url}/static/insights.html`)
    await page.waitForSelector('[data-card="Fleet"]')
    await page.waitForFunction(() => document.querySelector('.updated')?.textContent?.startsWith('Updated ') === true)
    expect(await page.textContent('.updated')).not.toContain('just now ago')
    expect(await text('[data-card="Fleet"] .stat-value')).toBe('6')
    // stuck 1 + error 1 + waiting 1 + 2 active issues (support-bot's pool, the markup agent's issue)
    expect(await text('[data-card="Needs attention"] .stat-value')).toBe('5')
    expect(await page.getAttribute('[data-card="Needs attention"]', 'class')).toContain('bad')
    expect(await text('[data-card="Stuck agents"] .stat-value')).toBe('1')
    expect(await text('[data-card="Stuck agents"] .muted')).toMatch(/^scout \(\d+(\.\d)?s|^scout \(\dm/)
    expect(await text('[data-card="Stuck agents"] .muted')).toContain('/ 10.0s · task-scout-1)')
    expect(await page.getAttribute('.status-bar', 'aria-label')).toBe(
      'stuck 1, error 1, waiting_approval 1, processing 1, idle 2',
    )
    for (const title of ['Throughput', 'Success rate', 'Errors', 'Cost per task']) {
      const value = await text(`[data-card="${title}"] .stat-value`)
      expect(await page.getAttribute(`[data-card="${title}"] .insight-spark`, 'aria-label')).toMatch(
        new RegExp(`^${title} per bucket, latest ${(value ?? '').replace(/[$.]/g, '\\$&')}`),
      )
    }
    const bars = await page.$$eval('.insight-spark', (s) => s.map((x) => x.children.length))
    expect(new Set(bars).size).toBe(1)
    expect(bars[0]).toBeGreaterThanOrEqual(4)
    await page.waitForSelector('.newest-list li')
    expect(await page.$$eval('.newest-list li', (l) => l.length)).toBe(20)
    expect(await text('.newest-list li')).toContain('Fresh note')
    expect(await page.isVisible('.live-tag')).toBe(true)
    await shot(page, 'insights-glance')
  })

  it('Investigation: the agent select defaults to the first in attention order (scout, stuck) (D54, D55)', async () => {
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('.agent-select')?.value === 'scout')
    expect(await texts('.agent-select option')).toEqual([
      'scout',
      'billing-sync',
      'support-bot',
      'lead-qualifier',
      '<script>alert(1)</script><img src=x onerror="window.__pwned=1">',
      'nightly-etl',
    ])
    expect(await text('.inv-status .stat-value')).toContain('Stuck')
    expect(await text('.inv-task .stat-value')).toBe('task-scout-1')
    expect(await text('.inv-completed .stat-value')).toBe('0')
    expect(await page.getAttribute('.hb-bar-fill', 'class')).toBe('hb-bar-fill bad')
    await page.waitForSelector('.inv-queue')
    expect(await text('.inv-queue')).toBe('Queue is empty — agent is caught up')
    expect(await text('.inv-issues')).toBe('No active issues')
    await page.waitForSelector('.recent-tasks a')
    expect(await page.getAttribute('.recent-tasks a', 'href')).toBe('/static/index.html?view=task&task=task-scout-1')
    await page.locator('.sec-investigation').scrollIntoViewIfNeeded()
    await shot(page, 'insights-investigation')
  })

  it('choosing support-bot shows its queue with ages, issues and recent tasks; the URL keeps it (D55, D54)', async () => {
    await page.selectOption('.agent-select', 'support-bot')
    expect(page.url()).toContain('agent=support-bot')
    await page.waitForFunction(() => document.querySelector('.inv-queue')?.textContent?.startsWith('Queue 8') === true)
    expect(await text('.inv-queue')).toBe('Queue 8 · oldest 7m')
    expect(await texts('.inv-queue-items li')).toEqual([
      expect.stringMatching(/^Refund #7 · 7m ago$/),
      expect.stringMatching(/^Address change · (1m|59s|6\ds) ago$/),
    ])
    expect(await texts('.inv-issues li')).toEqual(['high · DB pool exhausted ×7'])
    await page.waitForFunction(
      () => document.querySelectorAll('.recent-tasks a').length === 2 && document.querySelector('.inv-status .badge'),
    )
    expect(await texts('.recent-tasks a')).toEqual(['task-sup-2', 'task-sup-1'])
    expect(await text('.inv-status .stat-value')).toContain('Waiting')
    await page.reload()
    await page.waitForFunction(
      () => document.querySelector<HTMLSelectElement>('.agent-select')?.value === 'support-bot',
    )
  })

  it('Optimization: by model, failing actions by exception type, error types, rates (D56)', async () => {
    await page.waitForSelector('.by-model tr')
    expect(await texts('.by-model tr')).toEqual(['gpt-4o-2024-08-06$0.0123 · 95.3%', 'gpt-4o-mini$0.0006 · 4.7%'])
    expect(await texts('.by-agent tr td:first-child')).toEqual(['lead-qualifier', 'billing-sync'])
    // 1 of the 8 tasks each (task-sup-2 waits for approval, task-sup-1 was escalated)
    expect(await text('[data-card="Human intervention"] .stat-value')).toBe('12.5%')
    expect(await text('[data-card="Escalation rate"] .stat-value')).toBe('12.5%')
    await page.waitForSelector('.failing-list li')
    expect(await texts('.failing-list li')).toEqual(['fetch_crm · ConnectionError ×1'])
    expect(await text('.failing-actions')).toContain('No failed plan steps')
    const errorTypes = await texts('.error-types tr td:first-child')
    expect(errorTypes).toContain('action_failed')
    expect(errorTypes).toContain('task_failed')
    await page.locator('.sec-optimization').scrollIntoViewIfNeeded()
    await shot(page, 'insights-optimization')
  })

  it('Review: fleet health and agent reliability sorted by failures, then by completed (D56, D57)', async () => {
    // 100 − 15 (scout stuck) − 10 (billing-sync error) − round((90 − 75) × 0.5) − min(20, 5 × 2 issues) = 57
    expect(await text('[data-card="Fleet health"] .stat-value')).toBe('57 Needs attention')
    await page.waitForSelector('.reliability-row')
    const order = () => page.$$eval('.reliability-row', (r) => r.map((x) => x.getAttribute('data-agent-id')))
    expect((await order())[0]).toBe('billing-sync')
    expect(await text('.reliability-row[data-agent-id="billing-sync"] .bad')).toBe('1')
    await page.click('.reliability-table th button:has-text("Completed")')
    expect((await order()).slice(0, 2).sort()).toEqual(['lead-qualifier', 'nightly-etl'])
    await page.locator('.sec-review').scrollIntoViewIfNeeded()
    await shot(page, 'insights-review')
    expect(errors).toEqual([])
  })

  it('the ROI calculator recomputes from its inputs and keeps them (D57, §17 #35)', async () => {
    // $75/h × 30 min × 3 completed tasks = $112.50 by hand vs $0.0129 of LLM calls
    expect(await text('[data-card="ROI"] .stat-value')).toBe('8720.9×')
    await page.fill('.roi-rate', '60')
    await page.waitForFunction(() => document.querySelector('[data-card="ROI"] .stat-value')?.textContent === '6976.7×')
    await page.reload()
    await page.waitForSelector('[data-card="ROI"]')
    expect(await page.inputValue('.roi-rate')).toBe('60')
    expect(await text('[data-card="ROI"] .stat-value')).toBe('6976.7×')
  })

  it("Review shows the selected agent's deploys, before/after its version change (D56, D30, §17 #32)", async () => {
    await page.selectOption('.agent-select', 'nightly-etl')
    await page.waitForSelector('.insights-deploys .deploy-table')
    const rows = await page.$$eval('.insights-deploys .deploy-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)),
    )
    expect(rows).toEqual([
      ['Before', '1', '100%', '1m0s', '—'],
      ['After', '1', '100%', '30.0s', '—'],
    ])
    expect(await text('.insights-deploys .deploy-change')).toMatch(/^Latest change: v1\.1\.0 → v1\.2\.0 at /)
  })

  it('the range select re-reads the insights for that range and keeps it in the URL, 1 h included (D54, §17 #29)', async () => {
    await page.goto(`${srv.url}/static/insights.html`)
    await page.waitForSelector('[data-card="Fleet"]')
    expect(await page.inputValue('.range-select')).toBe('24h')
    const asked = page.waitForRequest((r) => r.url().includes('/v1/insights?') && r.url().includes('range=30d'))
    await page.selectOption('.range-select', '30d')
    await asked
    expect(new URL(page.url()).searchParams.get('range')).toBe('30d')
    // 1 h is the dashboard's default but not the page's: the URL keeps it, so a reload stays on 1 h.
    await page.selectOption('.range-select', '1h')
    expect(new URL(page.url()).searchParams.get('range')).toBe('1h')
    const reloaded = page.waitForRequest((r) => r.url().includes('/v1/insights?') && r.url().includes('range=1h'))
    await page.reload()
    await reloaded
    expect(await page.inputValue('.range-select')).toBe('1h')
  })

  it('a section collapses with aria-expanded and stays collapsed after reload (D54)', async () => {
    await page.click('.sec-investigation summary')
    // The details element's toggle event (which sets aria-expanded and stores the state) fires after the click.
    await page.waitForSelector('.sec-investigation summary[aria-expanded="false"]')
    await page.reload()
    await page.waitForSelector('.sec-investigation')
    expect(await page.getAttribute('.sec-investigation', 'open')).toBeNull()
    await page.click('.sec-investigation summary')
    await page.waitForSelector('.sec-investigation summary[aria-expanded="true"]')
  })
})
