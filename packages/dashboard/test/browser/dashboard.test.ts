import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { at, atNow, seed, send, XSS_AGENT, XSS_ISSUE, type Fleet } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()

describe.runIf(run)('dashboard in chromium', () => {
  let srv: TestServer
  let browser: Browser
  let page: Page
  let fleet: Fleet
  const dialogs: string[] = []

  const open = async (query = '') => {
    await page.goto(`${srv.url}/static/index.html${query}`)
  }

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    fleet = await seed(srv)
    browser = await launch()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.on('dialog', (d) => {
      dialogs.push(d.message())
      void d.dismiss()
    })
    page.on('pageerror', (e) => dialogs.push(`pageerror: ${e.message}`))
    await page.goto(`${srv.url}/static/index.html?apiKey=${srv.keys.live}`)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await fleet?.close()
    await srv?.close()
  })

  it('when a key is given in the URL, then it is stored and stripped (D6)', async () => {
    await page.waitForSelector('.agent-card')
    expect(page.url()).not.toContain('apiKey')
    expect(await page.evaluate(() => localStorage.getItem('hiveboard_api_key'))).toBe(srv.keys.live)
  })

  it('Mission Control shows the hive in attention order with the ribbon figures (D23, D24)', async () => {
    await page.waitForSelector('.agent-card[data-agent-id="scout"]')
    const names = await page.$$eval('.agent-card .agent-name', (els) => els.map((e) => e.textContent))
    expect(names[0]).toBe('scout')
    expect(names).toContain('lead-qualifier')
    expect(await page.textContent('.agent-card[data-agent-id="scout"] .badge')).toContain('Stuck')
    expect(await page.textContent('.agent-card[data-agent-id="support-bot"] .badge')).toContain('Waiting')
    expect(await page.textContent('.agent-card[data-agent-id="lead-qualifier"] .task-link')).toBe('task-lead-2')
    expect(names).toEqual(['scout', 'billing-sync', 'support-bot', 'lead-qualifier', XSS_AGENT, 'nightly-etl'])
    expect(await page.textContent('.agent-card[data-agent-id="billing-sync"] .badge')).toContain('Error')
    expect(await page.textContent('.agent-card[data-agent-id="nightly-etl"] .badge')).toContain('Idle')
    expect(await page.textContent('.stat.total .stat-value')).toBe('6')
    expect(await page.textContent('.stat-toggle.status-stuck .stat-value')).toBe('1')
    expect(await page.textContent('.stat-toggle.status-error .stat-value')).toBe('1')
    expect(await page.textContent('.stat-toggle.status-processing .stat-value')).toBe('1')
    expect(await page.textContent('.stat-toggle.status-waiting_approval .stat-value')).toBe('1')
    expect(await page.textContent('.attention-badge')).toBe('3')
    expect(await page.textContent('.stuck-banner')).toMatch(
      /^⚠ scout is stuck — no heartbeat for \d+[sm] \(threshold 10\.0s\) · task task-scout-1/,
    )
    await page.waitForSelector('.task-row[data-task-id="task-lead-1"]')
    const row = await page.textContent('.task-row[data-task-id="task-lead-1"]')
    expect(row).toContain('1m30s')
    expect(row).toContain('$0.0123')
    expect(row).toContain('1.5K→300')
    await page.waitForSelector('.ev')
    expect(await page.textContent('.stream-list')).toContain('lead-qualifier completed task-lead-1 in 1m30s')
    await page.waitForSelector('.approval-row')
    const approvals = await page.$$eval('.approval-row', (rows) =>
      rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
    )
    expect(approvals).toHaveLength(1)
    const [taskId, agent, approver, request, wait] = approvals[0] ?? []
    expect([taskId, agent, approver, request]).toEqual(['task-sup-2', 'support-bot', 'finance', 'Refund $120'])
    // Requested 1m59s before the fixture's "now": the wait ticks from there.
    expect(wait).toMatch(/^\d+m\d+s$/)
    await page.waitForFunction((w) => document.querySelector('.approval-row .approval-wait')?.textContent !== w, wait, {
      timeout: 5000,
    })
    await shot(page, 'mission-control')
  })

  it('markup in an agent id and an issue summary shows as text and runs nothing (D67)', async () => {
    const card = page.locator('.agent-card .agent-name', { hasText: '<script>' })
    expect(await card.textContent()).toBe(XSS_AGENT)
    expect(await page.textContent('.stream-list')).toContain(XSS_ISSUE)
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await page.$$('.agent-card img, .stream-list img, .agent-card script')).toHaveLength(0)
    expect(dialogs).toEqual([])
  })

  it('ribbon metrics and mini charts show the range figures from /v1/metrics (D24, D25)', async () => {
    await page.waitForSelector('.mini-chart canvas')
    // 1 h: task-lead-1 (1m30s, $0.0123), task-etl-1 (1m), task-etl-after (30s), task-bill-1 failed (estimated
    // $0.0006) and 4 open tasks: 3 of 4 finished succeeded, mean duration of the completed 1m.
    expect(await page.textContent('.stat.success .stat-value')).toBe('75%')
    expect(await page.textContent('.stat.duration .stat-value')).toBe('1m0s')
    expect(await page.textContent('.stat.cost .stat-value')).toBe('$0.01')
    expect(await page.textContent('.stat.calls .stat-value')).toBe('2')
    await shot(page, 'mission-control-charts')
  })

  it('the status filter toggles from the ribbon and restores from the URL (D19, D24)', async () => {
    await page.click('.stat-toggle.status-stuck')
    await page.waitForFunction(() => document.querySelectorAll('.agent-card').length === 1)
    expect(page.url()).toContain('status=stuck')
    await page.reload()
    await page.waitForSelector('.agent-card')
    expect(await page.$$eval('.agent-card', (e) => e.length)).toBe(1)
    expect(await page.getAttribute('.stat-toggle.status-stuck', 'aria-pressed')).toBe('true')
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => document.querySelectorAll('.agent-card').length === 6)
  })

  it('a new event appears in the stream and on its card without reload (D14, D45)', async () => {
    atNow(() => fleet.lead2.complete())
    await send(fleet.hb)
    await page.waitForFunction(
      () => document.querySelector('.stream-list')?.textContent?.includes('completed task-lead-2') === true,
      null,
      { timeout: 12_000 },
    )
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLElement>('.agent-card[data-agent-id="lead-qualifier"] .card-task')?.hidden === true,
      null,
      { timeout: 5000 },
    )
    expect(await page.textContent('.pill')).toBe('Polling')
  })

  it('the timeline shows plan, tree, LLM modal and flat mode; deep links restore it (D32–D40)', async () => {
    // Regression: loaders read the URL before the next frame applied it, so the timeline waited for a refresh (~10 s).
    const clicked = Date.now()
    await page.click('.task-row[data-task-id="task-lead-1"]')
    await page.waitForSelector('.tree', { timeout: 2000 })
    console.log(`task click → timeline: ${Date.now() - clicked} ms`)
    expect(page.url()).toContain('task=task-lead-1')
    expect(await page.textContent('.plan-progress')).toContain('2/2 completed')
    expect(await page.textContent('.tree')).toContain('score_lead')
    expect(await page.textContent('.tree .model-badge')).toBe('gpt-4o-2024-08-06')
    await shot(page, 'timeline-tree')
    await page.click('.tree-row.llm')
    await page.waitForSelector('[role=dialog]')
    expect(await page.textContent('[role=dialog]')).toContain('score: 82')
    await shot(page, 'llm-modal')
    await page.keyboard.press('Escape')
    await page.click('.mode-flat')
    await page.waitForSelector('.flat-node')
    expect(page.url()).toContain('mode=flat')
    await shot(page, 'timeline-flat')
    await page.goBack()
    await page.waitForSelector('.agent-card')
    expect(page.url()).not.toContain('task=')
    await open('?task=task-sup-1')
    await page.waitForSelector('.errors-first')
    expect(await page.textContent('.errors-first')).toContain('ConnectionError: CRM timeout')
    expect(await page.textContent('.timeline-content')).toContain('Escalated to ops: CRM down')
    await shot(page, 'timeline-errors')
    await open('?task=nope')
    await page.waitForSelector('.panel-status.is-error')
    expect(await page.textContent('.timeline-view')).toContain('Task not found')
  })

  it('agent detail shows the header and tasks; a failing endpoint shows the error state, then Retry (D28, D21)', async () => {
    await open('?view=agent&agent=support-bot')
    await page.waitForSelector('.agent-header')
    expect(await page.textContent('.agent-header')).toContain('Waiting')
    await page.waitForSelector('.tasks-panel .task-row')
    expect(
      await page.$$eval('.tasks-panel .task-row', (r) => r.map((x) => x.getAttribute('data-task-id')).sort()),
    ).toEqual(['task-sup-1', 'task-sup-2'])
    await shot(page, 'agent-detail')
    const failing = '**/v1/agents/support-bot/pipeline'
    await page.route(failing, (r) =>
      r.fulfill({
        status: 503,
        json: { error: 'storage_unavailable', message: 'Storage is unavailable', status: 503 },
      }),
    )
    await page.click('.tab[data-tab="pipeline"]')
    await page.waitForSelector('.ep-pipeline .panel-status.is-error')
    await page.unroute(failing)
    await page.click('.ep-pipeline .retry')
    await page.waitForSelector('.pl-queue-head')
    expect(await page.textContent('.pl-queue-head')).toContain('Depth 8 · oldest 7m')
    expect(await page.getAttribute('.pl-queue-head span', 'class')).toBe('warn')
    expect(await page.textContent('.pl-issues')).toContain('×7 · Recurring')
    expect(await page.getAttribute('.pl-todos li', 'class')).toBe('bad')
    expect(await page.textContent('.pl-todos')).toContain('Re-run export')
    expect(await page.textContent('.pl-scheduled')).toContain('Nightly sync')
    await shot(page, 'agent-pipeline')
    await page.click('.tab[data-tab="heartbeat"]')
    await page.waitForSelector('.beat-table')
    expect(await page.textContent('.beat-mean')).toBe('1 beat · mean interval —')
    await shot(page, 'agent-heartbeat')
  })

  it("the Metrics tab shows the agent's figures and its deploys, before/after the version change (D30, §17 #32)", async () => {
    await open('?view=agent&agent=nightly-etl&tab=metrics')
    await page.waitForSelector('.agent-metrics .m-completed')
    expect(await page.textContent('.m-completed .stat-value')).toBe('2')
    expect(await page.textContent('.m-success .stat-value')).toBe('100%')
    expect(await page.textContent('.m-duration .stat-value')).toBe('45.0s')
    await page.waitForSelector('.deploy-table')
    const deploys = await page.$$eval('.deploy-list li', (li) => li.map((x) => x.textContent ?? ''))
    expect(deploys.map((d) => d.split(' · ')[0])).toEqual(['v1.2.0', 'v1.1.0'])
    expect(await page.textContent('.deploy-change')).toMatch(/^Latest change: v1\.1\.0 → v1\.2\.0 at \d\d:\d\d:\d\d$/)
    const rows = await page.$$eval('.deploy-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)),
    )
    expect(rows).toEqual([
      ['Before', '1', '100%', '1m0s', '—'],
      ['After', '1', '100%', '30.0s', '—'],
    ])
    await shot(page, 'agent-metrics')
  })

  it('Costs show the error state when their endpoint fails, then their figures; Pipeline its rows (D21, D41–D44, D48)', async () => {
    await page.route('**/v1/cost?*', (r) =>
      r.fulfill({
        status: 503,
        json: { error: 'storage_unavailable', message: 'Storage is unavailable', status: 503 },
      }),
    )
    await open('?view=cost')
    await page.waitForSelector('.cost-view .panel-status.is-error')
    expect(await page.textContent('.cost-view .panel-status')).toContain('Retry')
    await shot(page, 'cost-pending')
    await page.unroute('**/v1/cost?*')
    await page.reload()
    await page.waitForSelector('.cost-view .total-cost')
    // $0.0123 reported + $0.0006 estimated by the server (gpt-4o-mini, no cost sent): "~" per D22.
    expect(await page.textContent('.cost-view .total-cost .stat-value')).toBe('~$0.01')
    expect(await page.textContent('.cost-by-model')).toContain('95.3%')
    expect(await page.textContent('.cost-by-model')).toContain('4.7%')
    // D43 task type × agent over the range's tasks (task-lead-2 has no LLM call, so no cost).
    await page.waitForSelector('.type-agent-row')
    expect(
      await page.$$eval('.type-agent-row', (rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent).join(' | ')),
      ),
    ).toEqual([
      'crawl | scout | 1 | — | 0.0',
      'export | nightly-etl | 2 | — | 0.0',
      'invoice_sync | billing-sync | 1 | $0.0006 | 1.0',
      'lead_scoring | lead-qualifier | 2 | $0.0123 | 0.5',
      'refund | support-bot | 1 | — | 0.0',
      'ticket | support-bot | 1 | — | 0.0',
    ])
    // D43 by task: the costliest tasks of the range
    await page.waitForSelector('.cost-task-row')
    expect(
      await page.$$eval('.cost-task-row', (rows) =>
        rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent).join(' | ')),
      ),
    ).toEqual([
      'task-lead-1 | lead-qualifier | lead_scoring | $0.0123 | 1 calls | 1.5K→300 | Calls',
      'task-bill-1 | billing-sync | invoice_sync | $0.0006 | 1 calls | 2K→500 | Calls',
    ])
    // D42: each non-empty bucket lists its calls by model and agent; together they hold both calls.
    await page.waitForSelector('.cost-bucket')
    const buckets = await page.$$eval('.cost-bucket', (bars) =>
      bars.map((b, i) => [i, b.getAttribute('aria-label') ?? ''] as const).filter(([, l]) => !l.endsWith(', 0 calls')),
    )
    expect(buckets.length).toBeGreaterThan(0)
    const byModel: string[] = []
    for (const [i] of buckets) {
      await page.locator('.cost-bucket').nth(i).click()
      await page.waitForSelector('.bucket-head')
      byModel.push(...(await page.$$eval('.bucket-by-model li', (li) => li.map((x) => x.textContent ?? ''))))
    }
    expect(byModel.sort()).toEqual(['gpt-4o-2024-08-06 · $0.0123 · 1 call', 'gpt-4o-mini · $0.0006 · 1 call'])
    await page.waitForSelector('.call-row')
    await shot(page, 'cost')
    await page.click('.call-row')
    await page.waitForSelector('[role=dialog]')
    expect(await page.textContent('[role=dialog]')).toContain('score: 82')
    await page.keyboard.press('Escape')
    // D44 sort (§17 #20): the biggest prompt first — billing-sync's 2K tokens in before lead-qualifier's 1.5K.
    const firstCallAgent = () => page.textContent('.call-row td:nth-child(2)')
    expect(await firstCallAgent()).toBe('lead-qualifier')
    await page.selectOption('.call-sort', 'tokens_in')
    await page.waitForFunction(
      () => document.querySelector('.call-row td:nth-child(2)')?.textContent === 'billing-sync',
    )
    expect(await page.getAttribute('.call-row .share-bar', 'style')).toBe('width: 100%;')
    await page.click('.nav-tab[data-view="pipeline"]')
    await page.waitForSelector('.pipeline-row')
    expect(await page.textContent('.pipeline-row[data-agent-id="support-bot"]')).toContain('Needs attention')
    await shot(page, 'pipeline')
    await page.click('.pipeline-row[data-agent-id="support-bot"]')
    await page.waitForSelector('.agent-view')
    expect(page.url()).toContain('tab=pipeline')
  })

  it('keyboard only: j to a card, Tab to its task, Enter, Tab into the tree, arrows and Enter open a node (D66, D36)', async () => {
    await open()
    await page.waitForSelector('.agent-card')
    await page.locator('body').focus()
    await page.keyboard.press('j')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-agent-id'))).toBe('scout')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('task-scout-1')
    await page.keyboard.press('Enter')
    await page.waitForSelector('.timeline-view')
    await open('?task=task-sup-1')
    await page.waitForSelector('.tree')
    let inTree = false
    for (let i = 0; i < 40 && !inTree; i++) {
      await page.keyboard.press('Tab')
      inTree = await page.evaluate(() => document.activeElement?.getAttribute('role') === 'treeitem')
    }
    expect(inTree).toBe(true)
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await page.waitForSelector('[role=dialog]')
    await page.keyboard.press('Escape')
    expect(await page.$('[role=dialog]')).toBeNull()
    await page.keyboard.press('Escape')
    await page.waitForSelector('.ribbon-box:not([hidden])')
    await page.keyboard.press('g')
    await page.keyboard.press('c')
    await page.waitForSelector('.cost-view')
  })

  it('a task running over 3× its agent\'s average is flagged "running long" (D26, §17 #22)', async () => {
    // nightly-etl's finished tasks averaged 45 s; this one started 4 min ago.
    at(Date.now() - 240_000, () => fleet.etl.startTask('task-etl-2', { type: 'export' }))
    await send(fleet.hb)
    await open()
    await page.waitForSelector('.task-row[data-task-id="task-etl-2"] .running-long')
    expect(await page.textContent('.task-row[data-task-id="task-etl-2"] .running-long')).toBe('running long')
    expect(await page.$$('.task-row[data-task-id="task-scout-1"] .running-long')).toHaveLength(0)
  })

  it('under 1,200 px the Activity stream is a drawer: its button opens it, Esc closes it (D17)', async () => {
    expect(await page.isVisible('.activity-toggle')).toBe(false)
    await page.setViewportSize({ width: 1000, height: 800 })
    await open()
    await page.waitForSelector('.agent-card')
    expect(await page.isVisible('.activity')).toBe(false)
    await page.click('.activity-toggle')
    await page.waitForSelector('.activity .ev')
    expect(await page.getAttribute('.activity-toggle', 'aria-expanded')).toBe('true')
    expect(await page.textContent('.stream-list')).toContain('lead-qualifier completed task-lead-1 in 1m30s')
    await shot(page, 'activity-drawer-1000')
    await page.focus('.activity button')
    await page.keyboard.press('Escape')
    expect(await page.isVisible('.activity')).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('activity-toggle')
    await page.setViewportSize({ width: 1440, height: 900 })
  })

  it('Mission Control at 390 px is one column; the Hive collapses behind its heading and stays so (D17)', async () => {
    expect(await page.isVisible('.hive-toggle')).toBe(false)
    await page.setViewportSize({ width: 390, height: 844 })
    await open()
    await page.waitForSelector('.agent-card')
    await shot(page, 'mission-control-390')
    expect(await page.getAttribute('.hive-toggle', 'aria-expanded')).toBe('true')
    await page.click('.hive-toggle')
    expect(await page.getAttribute('.hive-toggle', 'aria-expanded')).toBe('false')
    expect(await page.isVisible('.hive-list')).toBe(false)
    expect(await page.textContent('.hive .attention-badge')).toBe('3')
    await shot(page, 'mission-control-390-hive-collapsed')
    await page.reload()
    await page.waitForSelector('.hive.is-collapsed')
    expect(await page.textContent('.hive-toggle')).toBe('Show agents')
    await page.click('.hive-toggle')
    await page.waitForSelector('.agent-card')
    await page.setViewportSize({ width: 1440, height: 900 })
  })
})
