/**
 * Agent Metrics charts (D30), Cost Explorer by project and row drill-downs (D43), CSV export (D44 Beyond) and Enter
 * into dialogs (D38, D40), against the known fixture plus one project-tagged task whose model name looks like a
 * spreadsheet formula.
 */
import { readFileSync } from 'node:fs'
import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agentAt, at, seed, send, type Fleet } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()
const FORMULA_MODEL = '=HYPERLINK("x"),1'

describe.runIf(run)('Agent Metrics charts and Cost Explorer extras in chromium', () => {
  let srv: TestServer
  let browser: Browser
  let page: Page
  let fleet: Fleet
  const errors: string[] = []

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    fleet = await seed(srv)
    const created = await srv.post('/v1/projects', { name: 'Sales', slug: 'sales' })
    expect(created.status).toBe(201)
    // One task in the Sales project, with a call whose model starts like a formula (D44 Beyond).
    const now = Date.now()
    const closer = agentAt(fleet.hb, now - 8 * 60_000, 'closer')
    const task = at(now - 7 * 60_000, () => closer.startTask('task-close-1', { type: 'close', project: 'sales' }))
    at(now - 7 * 60_000 + 500, () =>
      task.llmCall('draft', FORMULA_MODEL, { tokensIn: 100, tokensOut: 20, cost: 0.002 }),
    )
    at(now - 6 * 60_000, () => task.complete())
    await send(fleet.hb)
    browser = await launch()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    page.setDefaultTimeout(10_000)
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${srv.url}/static/index.html?apiKey=${srv.keys.live}`)
    await page.waitForSelector('.agent-card')
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await fleet?.close()
    await srv?.close()
  })

  const open = (query: string) => page.goto(`${srv.url}/static/index.html${query}`)

  it('the Metrics tab charts the timeseries with deploy markers by version, in words too (D30)', async () => {
    await open('?view=agent&agent=nightly-etl&tab=metrics')
    await page.waitForSelector('.metric-chart canvas')
    const keys = await page.$$eval('.metric-chart', (f) => f.map((x) => x.className.replace('metric-chart ', '')))
    expect(keys).toEqual(['metric-tasks', 'metric-success', 'metric-duration', 'metric-cost', 'metric-calls'])
    // Both registrations fall inside the 1 h buckets: each chart draws both markers, oldest first.
    await page.waitForSelector('.metric-tasks[data-deploys]')
    expect(await page.getAttribute('.metric-tasks', 'data-deploys')).toBe('v1.1.0 v1.2.0')
    const label = (await page.getAttribute('.metric-tasks .metric-plot', 'aria-label')) ?? ''
    expect(label).toMatch(
      /^Tasks completed \/ failed\. Completed: 2 in total, highest 1 at \d\d:\d\d:\d\d; Failed: 0 in total/,
    )
    expect(label).toMatch(/Deploys: v1\.1\.0 at \d\d:\d\d:\d\d, v1\.2\.0 at \d\d:\d\d:\d\d$/)
    expect(await page.getAttribute('.metric-duration .metric-plot', 'aria-label')).toMatch(/45\.0s on average/)
    // The data table lists the two buckets holding a completed export (1m0s and 30.0s).
    await page.click('.metric-duration .chart-data summary')
    const durations = await page.$$eval('.metric-duration .chart-data tbody td:nth-child(2)', (td) =>
      td.map((x) => x.textContent),
    )
    expect(durations.sort()).toEqual(['1m0s', '30.0s'])
    expect(await page.textContent('.agent-cost')).toContain('No LLM calls in the last 1h')
    await shot(page, 'agent-metrics-charts')
    // The charts follow the window: at 1,100 px the grid reflows and every chart takes its figure's new width.
    const fits = () =>
      page.$$eval('.metric-chart', (figs) =>
        figs.every(
          (f) => Math.round(f.querySelector('.uplot')?.getBoundingClientRect().width ?? 0) === f.clientWidth - 16,
        ),
      )
    expect(await fits()).toBe(true)
    const before = await page.$eval('.metric-tasks', (f) => f.clientWidth)
    await page.setViewportSize({ width: 1100, height: 900 })
    await page.waitForFunction((w) => document.querySelector('.metric-tasks')?.clientWidth !== w, before)
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>('.metric-chart')].every(
        (f) => Math.round(f.querySelector('.uplot')?.getBoundingClientRect().width ?? 0) === f.clientWidth - 16,
      ),
    )
    await page.setViewportSize({ width: 1440, height: 900 })
  })

  it("the Heartbeat tab shows the agent's work beside its beats: last hour and last 24 h (D31, §17 #25)", async () => {
    await open('?view=agent&agent=nightly-etl&tab=heartbeat')
    await page.waitForSelector('.hb-work-24h')
    expect(await page.textContent('.hb-work-24h p')).toBe('2 completed · 0 failed · 0 LLM calls')
    expect(await page.getAttribute('.hb-work-24h .sparkline', 'aria-label')).toBe('Tasks finished, last 24 h, latest 2')
    await page.waitForSelector('.hb-work-1h')
    // sparkline_1h counts non-heartbeat events per 5 min: both registrations and both tasks' start and end.
    expect(await page.textContent('.hb-work-1h p')).toBe('6 events')
    await page.waitForSelector('.beat-table')
    await shot(page, 'agent-heartbeat-work')
  })

  it('the Metrics tab of an agent with calls shows its cost by model; an empty range shows the empty state (D30)', async () => {
    await open('?view=agent&agent=lead-qualifier&tab=metrics')
    await page.waitForSelector('.agent-cost .cost-by-model tbody tr')
    const row = await page.$$eval('.agent-cost .cost-by-model tbody tr td', (td) => td.map((x) => x.textContent))
    expect(row.slice(0, 4)).toEqual(['gpt-4o-2024-08-06', '$0.0123', '100.0%', '1'])
    // Its rows drill into this agent's calls of that model.
    const asked = page.waitForRequest(
      (r) => r.url().includes('/v1/llm-calls?') && r.url().includes('agent_id=lead-qualifier'),
    )
    await page.click('.agent-cost .drill-toggle')
    expect(new URL((await asked).url()).searchParams.get('model')).toBe('gpt-4o-2024-08-06')
    await page.waitForSelector('.agent-cost .drill-head')
    expect(await page.textContent('.agent-cost .drill-head')).toMatch(/^1 calls since .+ · \$0\.0123$/)
    await page.route('**/v1/metrics?*', async (r) => {
      const res = await r.fetch()
      const body = (await res.json()) as { timeseries: Record<string, unknown>[] }
      for (const b of body.timeseries) Object.assign(b, { tasks_completed: 0, tasks_failed: 0, llm_call_count: 0 })
      await r.fulfill({ response: res, json: body })
    })
    await open('?view=agent&agent=lead-qualifier&tab=metrics&range=6h')
    await page.waitForSelector('.metric-charts .charts-empty:not([hidden])')
    expect(await page.textContent('.metric-charts .charts-empty')).toBe(
      'Nothing to chart: no tasks or LLM calls in the last 6h',
    )
    expect(await page.$$('.metric-chart')).toHaveLength(0)
    await page.unroute('**/v1/metrics?*')
  })

  it('Costs break down by project, from by_project or else per project (D43)', async () => {
    await open('?view=cost')
    await page.waitForSelector('.cost-by-project tbody tr')
    const rows = () =>
      page.$$eval('.cost-by-project tbody tr:not(.drill-row)', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)),
      )
    const fromServer = await rows()
    // ~$0.0129 without a project (lead-qualifier's and billing-sync's estimated call), $0.0020 in Sales.
    expect(fromServer).toEqual([
      ['No project', '~$0.0129', '86.6%', '2'],
      ['Sales', '$0.0020', '13.4%', '1'],
    ])
    // An older server without by_project: the same rows from /v1/cost?project_id= per project.
    const perProject: string[] = []
    await page.route('**/v1/cost?*', async (r) => {
      const url = new URL(r.request().url())
      if (url.searchParams.has('project_id')) perProject.push(url.searchParams.get('project_id') ?? '')
      const res = await r.fetch()
      const body = (await res.json()) as Record<string, unknown>
      delete body.by_project
      await r.fulfill({ response: res, json: body })
    })
    await page.reload()
    await page.waitForSelector('.cost-by-project tbody tr')
    // Calls without a project have no per-project row; the shares stay of the whole range.
    expect(await rows()).toEqual(fromServer.filter((r) => r[0] !== 'No project'))
    expect(perProject.length).toBeGreaterThanOrEqual(2)
    await page.unroute('**/v1/cost?*')
  })

  it('a breakdown row drills into its LLM calls, from the keyboard too, with Load more (D43)', async () => {
    await open('?view=cost')
    const toggle = page
      .locator('.cost-by-model tbody tr:not(.drill-row)', { hasText: 'gpt-4o-2024-08-06' })
      .locator('.drill-toggle')
    await toggle.focus()
    await page.keyboard.press('Enter')
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    const detail = page.locator('.cost-by-model .drill-row:not([hidden])')
    await detail.locator('.drill-head').waitFor()
    expect(await detail.locator('.drill-head').textContent()).toMatch(/^1 calls since .+ · \$0\.0123$/)
    expect(await detail.locator('.call-row td').allTextContents()).toEqual(
      expect.arrayContaining(['lead-qualifier', 'score', '$0.0123']),
    )
    // A failing request shows the error with Retry, which then lists the calls (D21).
    const failing = '**/v1/llm-calls?*model=gpt-4o-mini*'
    await page.route(failing, (r) =>
      r.fulfill({
        status: 503,
        json: { error: 'storage_unavailable', message: 'Storage is unavailable', status: 503 },
      }),
    )
    await page.locator('.cost-by-model tbody tr', { hasText: 'gpt-4o-mini' }).locator('.drill-toggle').click()
    const mini = page.locator('.cost-by-model .drill-row:not([hidden])', { hasText: 'Storage is unavailable' })
    await mini.waitFor()
    await page.unroute(failing)
    await mini.locator('.retry').click()
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.cost-by-model .drill-row:not([hidden]) .drill-head')].some((x) =>
        x.closest('.drill-row')?.textContent?.includes('gpt-4o-mini'),
      ),
    )
    // Clicking the agent row (not its link) drills by agent_id.
    await page.locator('.cost-by-agent tbody tr', { hasText: 'closer' }).locator('td').nth(1).click()
    await page.locator('.cost-by-agent .drill-row:not([hidden]) .drill-head').waitFor()
    expect(await page.textContent('.cost-by-agent .drill-row:not([hidden]) .drill-head')).toMatch(/^1 calls since/)
    // Load more follows the cursor: 21 calls of one model, 20 per page.
    const now = Date.now()
    const bulk = agentAt(fleet.hb, now - 5 * 60_000, 'bulk')
    for (let i = 0; i < 21; i++) at(now - 4 * 60_000 + i, () => bulk.llmCall(`c${i}`, 'bulk-model', { cost: 0.001 }))
    await send(fleet.hb)
    await page.reload()
    await page.locator('.cost-by-model tbody tr', { hasText: 'bulk-model' }).locator('.drill-toggle').click()
    const more = page.locator('.cost-by-model .drill-row:not([hidden]) .drill-more')
    await more.waitFor()
    expect(await page.locator('.cost-by-model .drill-row:not([hidden]) .call-row').count()).toBe(20)
    await more.focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(
      () => document.querySelectorAll('.cost-by-model .drill-row:not([hidden]) .call-row').length === 21,
    )
    expect(await more.count()).toBe(0)
    await shot(page, 'cost-drill')
  })

  it('a call in a drill-down opens the LLM modal: focus trapped, Esc returns it to the row (D40)', async () => {
    await open('?view=cost')
    await page.locator('.cost-by-model tbody tr', { hasText: 'gpt-4o-2024-08-06' }).locator('.drill-toggle').click()
    const row = page.locator('.cost-by-model .drill-row:not([hidden]) .call-row').first()
    await row.focus()
    await page.keyboard.press('Enter')
    await page.waitForSelector('[role=dialog]')
    expect(await page.textContent('[role=dialog]')).toContain('score: 82')
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press(i % 2 === 0 ? 'Tab' : 'Shift+Tab')
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.closest('[role=dialog]') !== null)).toBe(true)
    }
    await page.keyboard.press('Escape')
    await page.waitForSelector('[role=dialog]', { state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.classList.contains('call-row'))).toBe(true)
  })

  it('Enter on a flat timeline node opens its details and keeps them open (D37, D38)', async () => {
    await open('?view=task&task=task-lead-1&mode=flat')
    const node = page.locator('.flat-node').first()
    await node.focus()
    await page.keyboard.press('Enter')
    await page.waitForSelector('[role=dialog]')
    expect(await page.textContent('[role=dialog]')).toContain('task_started')
    await page.keyboard.press('Escape')
    await page.waitForSelector('[role=dialog]', { state: 'detached' })
  })

  it('each Cost Explorer table downloads as CSV, with formula-like cells neutralised (D44 Beyond)', async () => {
    await open('?view=cost')
    await page.waitForSelector('.cost-by-model tbody tr')
    const buttons = await page.$$eval('.cost-view .csv-export', (b) => b.map((x) => x.getAttribute('aria-label')))
    expect(buttons).toEqual(
      expect.arrayContaining([
        'Download By model as CSV',
        'Download By agent as CSV',
        'Download By project as CSV',
        'Download Costliest tasks as CSV',
        'Download Task type × agent as CSV',
        'Download Recent calls as CSV',
      ]),
    )
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('.cost-by-model .csv-export')])
    expect(download.suggestedFilename()).toMatch(/^hiveboard-by-model-\d{4}-\d\d-\d\dT\d\d-\d\d\.csv$/)
    const csv = readFileSync(await download.path(), 'utf8').split('\r\n')
    expect(csv[0]).toBe(',Cost,Share,Calls,Tokens')
    expect(csv.find((l) => l.startsWith('gpt-4o-2024'))).toMatch(/^gpt-4o-2024-08-06,0\.0123,[\d.]+,1,1\.5K→300$/)
    expect(csv.find((l) => l.includes('HYPERLINK'))).toMatch(/^"'=HYPERLINK\(""x""\),1",0\.002,[\d.]+,1,100→20$/)
    await page.setViewportSize({ width: 390, height: 844 })
    await page.locator('.cost-by-agent .drill-toggle').first().click()
    await page.locator('.cost-by-agent .drill-row:not([hidden]) .drill-head').waitFor()
    await page.locator('.cost-by-agent').scrollIntoViewIfNeeded()
    await shot(page, 'cost-390px')
    // The tables scroll inside their sections: nothing spills out of the Cost Explorer's column (D17).
    expect(await page.$eval('.cost-view', (v) => v.scrollWidth - v.clientWidth)).toBe(0)
    // Nor does the page: the screen-reader labels of scrolled cells stay inside their scrolling section (D17).
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0)
    await page.setViewportSize({ width: 1440, height: 900 })
    expect(errors).toEqual([])
  })
})
