import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ev, ingest, seed, XSS_AGENT } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()

describe.runIf(run)('dashboard in chromium', () => {
  let srv: TestServer
  let browser: Browser
  let page: Page
  const dialogs: string[] = []

  const open = async (query = '') => {
    await page.goto(`${srv.url}/static/index.html${query}`)
  }

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    await seed(srv)
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
    expect(await page.textContent('.stat.total .stat-value')).toBe('4')
    expect(await page.textContent('.stat-toggle.status-stuck .stat-value')).toBe('1')
    expect(await page.textContent('.stat-toggle.status-waiting_approval .stat-value')).toBe('1')
    expect(await page.textContent('.attention-badge')).toBe('2')
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
    await shot(page, 'mission-control')
  })

  it('markup in an agent id and an issue summary shows as text and runs nothing (D67)', async () => {
    const card = page.locator('.agent-card .agent-name', { hasText: '<script>' })
    expect(await card.textContent()).toBe(XSS_AGENT)
    expect(await page.textContent('.stream-list')).toContain('<img src=x onerror="window.__pwned=2">')
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    expect(await page.$$('.agent-card img, .stream-list img, .agent-card script')).toHaveLength(0)
    expect(dialogs).toEqual([])
  })

  it('with /v1/metrics served (stubbed until the endpoint lands), ribbon metrics and mini charts render (D24, D25)', async () => {
    const ts = (i: number) => new Date(Date.now() - (11 - i) * 300_000).toISOString()
    const metrics = {
      range: '1h',
      interval: '5m',
      summary: {
        total_tasks: 12,
        completed: 9,
        failed: 1,
        success_rate: 90.0,
        avg_duration_ms: 41_250,
        total_cost: 0.42,
        llm_call_count: 40,
      },
      timeseries: Array.from({ length: 12 }, (_, i) => ({
        timestamp: ts(i),
        tasks_completed: i % 3,
        tasks_failed: i === 5 ? 1 : 0,
        success_rate: i % 3 === 0 ? null : 100,
        cost: 0.03 * (i % 3),
        error_count: i === 5 ? 2 : 0,
      })),
    }
    await page.route('**/v1/metrics?*', (route) => route.fulfill({ json: metrics }))
    await page.reload()
    await page.waitForSelector('.mini-chart canvas')
    expect(await page.textContent('.stat.success .stat-value')).toBe('90%')
    expect(await page.textContent('.stat.duration .stat-value')).toBe('41.3s')
    expect(await page.textContent('.stat.cost .stat-value')).toBe('$0.42')
    expect(await page.textContent('.stat.calls .stat-value')).toBe('40')
    expect(await page.textContent('.chart-throughput .chart-latest')).toBe('2')
    expect(await page.textContent('.chart-cpt .chart-latest')).toBe('$0.03')
    await shot(page, 'mission-control-charts')
    await page.unroute('**/v1/metrics?*')
    await page.reload()
    await page.waitForSelector('.agent-card')
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
    await page.waitForFunction(() => document.querySelectorAll('.agent-card').length === 4)
  })

  it('a new event appears in the stream and on its card without reload (D14, D45)', async () => {
    await ingest(srv, 'lead-qualifier', [
      ev('task_completed', Date.now(), { task_id: 'task-lead-2', task_type: 'lead_scoring', duration_ms: 60_000 }),
    ])
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
    await page.route('**/v1/agents/support-bot/pipeline', (r) =>
      r.fulfill({
        json: {
          agent_id: 'support-bot',
          queue: {
            depth: 2,
            oldest_age_seconds: 420,
            items: [
              {
                id: 'b-1',
                priority: 'high',
                source: 'email',
                summary: 'Refund #7',
                queued_at: new Date(Date.now() - 420_000).toISOString(),
              },
            ],
            processing: null,
            snapshot_at: new Date().toISOString(),
          },
          todos: [
            {
              todo_id: 't-1',
              summary: 'Re-run export',
              action: 'created',
              priority: 'high',
              source: 'agent_decision',
              context: null,
              due_by: '2020-01-01T00:00:00Z',
              timestamp: new Date().toISOString(),
            },
          ],
          scheduled: [],
          issues: [
            {
              issue_id: 'pool',
              summary: 'DB pool exhausted',
              severity: 'high',
              category: 'connectivity',
              context: { pool: 10 },
              action: 'reported',
              occurrence_count: 7,
              timestamp: new Date().toISOString(),
            },
          ],
        },
      }),
    )
    await page.click('.ep-pipeline .retry')
    await page.waitForSelector('.pl-queue-head')
    expect(await page.textContent('.pl-queue-head')).toContain('Depth 2 · oldest 7m')
    expect(await page.getAttribute('.pl-queue-head span', 'class')).toBe('warn')
    expect(await page.textContent('.pl-issues')).toContain('×7 · Recurring')
    expect(await page.getAttribute('.pl-todos li', 'class')).toBe('bad')
    expect(await page.textContent('.pl-scheduled')).toContain('Nothing scheduled')
    await shot(page, 'agent-pipeline')
    await page.unroute('**/v1/agents/support-bot/pipeline')
    await page.click('.tab[data-tab="heartbeat"]')
    await page.waitForSelector('.beat-table')
    expect(await page.textContent('.beat-mean')).toBe('1 beat · mean interval —')
    await shot(page, 'agent-heartbeat')
  })

  it('Costs and Pipeline show the error state when their endpoints fail, then their figures (D21, D41–D44, D48)', async () => {
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
    const group = { call_count: 1, tokens_in: 1500, tokens_out: 300, estimated_cost: 0 }
    await page.route('**/v1/cost?*', (r) =>
      r.fulfill({
        json: {
          range: '24h',
          total_cost: 0.0123,
          call_count: 1,
          total_tokens_in: 1500,
          total_tokens_out: 300,
          reported_cost: 0.0123,
          estimated_cost: 0,
          by_agent: [{ agent_id: 'lead-qualifier', cost: 0.0123, ...group }],
          by_model: [{ model: 'gpt-4o-2024-08-06', cost: 0.0123, ...group }],
        },
      }),
    )
    await page.route('**/v1/llm-calls?*', (r) =>
      r.fulfill({
        json: {
          data: [
            {
              event_id: 'e1',
              agent_id: 'lead-qualifier',
              task_id: 'task-lead-1',
              timestamp: new Date().toISOString(),
              name: 'score',
              model: 'gpt-4o',
              tokens_in: 1500,
              tokens_out: 300,
              cost: 0.0123,
              cost_source: 'reported',
              duration_ms: 800,
              prompt_preview: 'hi',
              response_preview: 'yo',
            },
          ],
          pagination: { cursor: null, has_more: false },
          totals: { cost: 0.0123, tokens_in: 1500, tokens_out: 300, call_count: 1 },
        },
      }),
    )
    await page.route('**/v1/pipeline*', (r) =>
      r.fulfill({
        json: {
          totals: { queue_depth: 8, active_issues: 1, active_todos: 3, scheduled_count: 4 },
          agents: [
            {
              agent_id: 'support-bot',
              derived_status: 'waiting_approval',
              queue_depth: 8,
              oldest_age_seconds: 420,
              active_todos: 3,
              active_issues: 1,
              scheduled_count: 4,
            },
          ],
        },
      }),
    )
    await page.reload()
    await page.waitForSelector('.cost-view .total-cost')
    expect(await page.textContent('.cost-view .total-cost .stat-value')).toBe('$0.01')
    expect(await page.textContent('.cost-by-model')).toContain('100.0%')
    await page.waitForSelector('.call-row')
    await shot(page, 'cost')
    await page.click('.call-row')
    await page.waitForSelector('[role=dialog]')
    expect(await page.textContent('[role=dialog]')).toContain('yo')
    await page.keyboard.press('Escape')
    await page.click('.nav-tab[data-view="pipeline"]')
    await page.waitForSelector('.pipeline-row')
    expect(await page.textContent('.pipeline-row')).toContain('Needs attention')
    await shot(page, 'pipeline')
    await page.click('.pipeline-row')
    await page.waitForSelector('.agent-view')
    expect(page.url()).toContain('tab=pipeline')
    await page.unrouteAll()
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

  it('Mission Control at 390 px is one column', async () => {
    await page.setViewportSize({ width: 390, height: 844 })
    await open()
    await page.waitForSelector('.agent-card')
    await shot(page, 'mission-control-390')
    await page.setViewportSize({ width: 1440, height: 900 })
  })
})
