/**
 * Alerts view and banners in chromium against a real server (dashboard.md §11, D18, D19, D49–D53, D67).
 * The server runs the real local WebSocket broadcaster (not the recording one), so `alert.fired` arrives live.
 */
import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ev, ingest, llm } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot, startLiveServer } from './harness.js'

const run = browserAvailable()
const XSS_RULE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> failures'

describe.runIf(run)('alerts in chromium (§11)', () => {
  let srv: TestServer
  let browser: Browser
  let page: Page
  const problems: string[] = []

  const api = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${srv.keys.live}`, 'content-type': 'application/json' },
    }
    if (body !== undefined) init.body = JSON.stringify(body)
    const res = await fetch(srv.url + path, init)
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.json()
  }

  const waitLive = () => page.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live')

  beforeAll(async () => {
    ensureBuilt()
    srv = await startLiveServer()
    const now = Date.now()
    await ingest(srv, 'worker-1', [
      ev('agent_registered', now - 60_000),
      ev('heartbeat', now - 1000),
      llm(now - 30_000, {}, { name: 'plan', model: 'gpt-4o', tokens_in: 100, tokens_out: 10, cost: 0.8 }),
    ])
    browser = await launch()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`)
      void d.dismiss()
    })
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await page.goto(`${srv.url}/static/index.html?apiKey=${srv.keys.live}&view=alerts`)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
  })

  it('view=alerts deep link opens the Alerts view with the tab current (D19, D18)', async () => {
    await page.waitForSelector('.alerts-view')
    expect(page.url()).toContain('view=alerts')
    expect(await page.getAttribute('.nav-tab[data-view="alerts"]', 'aria-current')).toBe('page')
    await page.waitForSelector('.rules-section .panel-status.is-empty')
    expect(await page.textContent('.rules-section .panel-status')).toBe('No alert rules yet')
    expect(await page.textContent('.history-section .panel-status')).toBe('No alerts have fired yet')
  })

  it('the rule form shows the API validation error on its field, then creates the rule (D49)', async () => {
    await page.click('.new-rule')
    await page.fill('.rule-form input[data-field="name"]', 'Budget')
    await page.selectOption('.rule-form select[data-field="condition_type"]', 'cost_threshold')
    // Defaults from api.md §4.11 are prefilled.
    expect(await page.inputValue('input[data-field="condition_config.window_hours"]')).toBe('24')
    await page.fill('input[data-field="condition_config.threshold_usd"]', '-5')
    await page.fill('input[data-field="condition_config.agent_id"]', 'worker-1')
    await page.click('.rule-form button[type="submit"]')
    const error = page.locator('.field[data-field="condition_config.threshold_usd"] .field-error')
    await error.waitFor()
    expect(await error.textContent()).toBe('Too small: expected number to be >0')
    expect(await page.getAttribute('input[data-field="condition_config.threshold_usd"]', 'aria-invalid')).toBe('true')
    expect(await page.textContent('.rule-form .form-errors')).toContain('Request validation failed')

    await page.fill('input[data-field="condition_config.threshold_usd"]', '1')
    await page.click('.rule-form button[type="submit"]')
    await page.waitForSelector('.rule-form', { state: 'hidden' })
    const row = page.locator('.rule-row', { hasText: 'Budget' })
    await row.waitFor()
    expect(await row.locator('.rule-condition').textContent()).toBe('Cost ≥ $1 per rolling 24 h · agent worker-1')
    expect(await row.locator('.rule-scope').textContent()).toBe('All agents')
    expect(await row.locator('.rule-cooldown').textContent()).toBe('5 min')
    expect(await row.locator('.rule-last-fired').textContent()).toBe('Never')
    // D53: $0.80 of $1.00 is amber (75–100 %).
    await row.locator('.budget-warn').waitFor()
    expect(await row.locator('.budget-text').textContent()).toBe('$0.80 of $1.00 in the last 24 h')
  })

  it('a rule name holding markup renders as text and runs nothing (D67)', async () => {
    await page.click('.new-rule')
    await page.fill('.rule-form input[data-field="name"]', XSS_RULE)
    await page.selectOption('.rule-form select[data-field="condition_type"]', 'task_failed')
    await page.click('.rule-form button[type="submit"]')
    const name = page.locator('.rule-row .rule-name', { hasText: 'failures' })
    await name.waitFor()
    expect(await name.textContent()).toBe(XSS_RULE)
    expect(await page.$$('.rules-table script, .rules-table img')).toHaveLength(0)
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
  })

  it('a firing rule shows in history, banner, toast, announcement and tab badge without reload (D50, D18)', async () => {
    await waitLive()
    const marker = await page.evaluate(() => {
      ;(window as unknown as { __marker: number }).__marker = 42
      return 42
    })
    const now = Date.now()
    await ingest(srv, 'worker-1', [
      ev('task_started', now - 2000, { task_id: 'task-9' }),
      ev('task_failed', now - 1000, {
        task_id: 'task-9',
        payload: { summary: 'boom', data: { exception_type: 'ValueError', exception_message: 'bad input' } },
      }),
    ])
    const histRow = page.locator('.history-row', { hasText: 'task_failed' })
    await histRow.waitFor({ timeout: 10_000 })
    expect(await histRow.locator('.hist-rule').textContent()).toBe(XSS_RULE)
    expect(await histRow.locator('.hist-agent').textContent()).toBe('worker-1')
    expect(await histRow.locator('.hist-task').textContent()).toBe('task-9')
    expect(await histRow.locator('.hist-snapshot').textContent()).toContain('exception_type: ValueError')
    await page.waitForSelector('.alert-banner:not([hidden])')
    expect(await page.textContent('.alert-banner .alert-count')).toBe('1 open alert')
    expect(await page.textContent('.alert-banner .alert-newest')).toBe(
      `${XSS_RULE}: worker-1 failed task-9 — ValueError: bad input`,
    )
    expect(await page.textContent('.toast')).toContain('worker-1 failed task-9')
    expect(await page.textContent('.alert-announcer')).toContain('Alert fired:')
    expect(await page.textContent('.nav-tab[data-view="alerts"] .tab-badge')).toBe('1')
    // Same document: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(marker)
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined()
    await shot(page, 'alerts-view')
  })

  it('Dismiss hides the banner and stays dismissed after a reload (D50)', async () => {
    await page.click('.alert-banner .alert-dismiss')
    await page.waitForSelector('.alert-banner', { state: 'hidden' })
    await page.reload()
    await page.waitForSelector('.history-row')
    // The alert is still in history, but its banner and badge stay gone.
    expect(await page.isHidden('.alert-banner')).toBe(true)
    expect(await page.isHidden('.nav-tab[data-view="alerts"] .tab-badge')).toBe(true)
    expect(await page.evaluate(() => localStorage.getItem('hiveboard_dismissed_alerts'))).toMatch(/^\["[^"]+"\]$/)
  })

  it('"Enable loop detection" creates a loop rule; a loop shows the loop banner linking the task (D52)', async () => {
    await page.click('.enable-loop')
    expect(await page.inputValue('.rule-form input[data-field="name"]')).toBe('Loop detection')
    await page.click('.rule-form button[type="submit"]')
    await page.locator('.rule-row', { hasText: 'Loop detection' }).waitFor()
    expect(await page.isHidden('.enable-loop')).toBe(true)
    await waitLive()
    const now = Date.now()
    const call = { name: 'summarise', model: 'gpt-4o-mini', prompt_preview: 'same prompt', tokens_in: 5, cost: 0.001 }
    await ingest(
      srv,
      'worker-1',
      Array.from({ length: 6 }, (_, i) => llm(now - 6000 + i * 1000, { task_id: 'task-loop' }, call)),
    )
    await page.waitForSelector('.loop-banner:not([hidden])', { timeout: 10_000 })
    expect(await page.textContent('.loop-banner .loop-text')).toMatch(
      /^worker-1 repeated summarise → gpt-4o-mini [56]× in 5 min$/,
    )
    await page.click('.loop-banner .loop-task')
    await page.waitForFunction(() => location.search.includes('task=task-loop'))
    await page.goBack()
    await page.waitForSelector('.alerts-view')
  })

  it('budget bars show in Costs, on the agent card and the fullest in the ribbon (D53)', async () => {
    await page.click('.nav-tab[data-view="cost"]')
    await page.waitForSelector('.cost-view .budgets .budget')
    expect(await page.textContent('.cost-view .budgets .budget-text')).toBe('$0.80 of $1.00 in the last 24 h')
    await shot(page, 'costs-budgets')
    await page.click('.nav-tab[data-view="mission"]')
    const card = page.locator('.agent-card[data-agent-id="worker-1"] .card-budgets .budget-text')
    await card.waitFor()
    expect(await card.textContent()).toMatch(/^\$0\.8\d of \$1\.00 in the last 24 h$/)
    expect(await page.textContent('.ribbon-budget .budget-name')).toBe('Budget')
    await shot(page, 'mission-control-budgets-loop-banner')
  })

  it('History filters by rule and the enabled switch writes through the API (D49, D50)', async () => {
    await page.click('.nav-tab[data-view="alerts"]')
    await page.waitForSelector('.history-row')
    const rules = (await api('GET', '/v1/alerts/rules')) as { data: { rule_id: string; name: string }[] }
    const loopRule = rules.data.find((r) => r.name === 'Loop detection')
    expect(loopRule).toBeDefined()
    await page.selectOption('.hist-rule-filter', loopRule?.rule_id ?? '')
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.history-row .hist-type')].every((c) => c.textContent?.startsWith('loop')) &&
        document.querySelectorAll('.history-row').length > 0,
    )
    await page.selectOption('.hist-rule-filter', '')
    const budgetRow = page.locator('.rule-row', { hasText: 'Budget' })
    await budgetRow.locator('.rule-enabled').click()
    await expect
      .poll(async () => {
        const r = (await api('GET', '/v1/alerts/rules')) as { data: { name: string; is_enabled: boolean }[] }
        return r.data.find((x) => x.name === 'Budget')?.is_enabled
      })
      .toBe(false)
  })

  it('Edit opens the form filled from the rule and saves the change (D49)', async () => {
    const row = page.locator('.rule-row', { hasText: 'Loop detection' })
    await row.locator('.rule-edit').click()
    expect(await page.inputValue('.rule-form input[data-field="name"]')).toBe('Loop detection')
    expect(await page.inputValue('.rule-form select[data-field="condition_type"]')).toBe('loop_detected')
    expect(await page.inputValue('input[data-field="condition_config.min_repeats"]')).toBe('5')
    await page.fill('input[data-field="condition_config.min_repeats"]', '8')
    await page.fill('.rule-form input[data-field="cooldown_seconds"]', '600')
    await page.click('.rule-form button[type="submit"]')
    await page.waitForSelector('.rule-form', { state: 'hidden' })
    await expect
      .poll(async () => row.locator('.rule-condition').textContent())
      .toBe('8+ identical LLM calls or actions within 5 min')
    expect(await row.locator('.rule-cooldown').textContent()).toBe('10 min')
  })

  it('a webhook action added in the form is test-fired with its per-action result (D49 Send test)', async () => {
    const received: string[] = []
    const receiver = createServer((req, res) => {
      received.push(req.headers['x-hiveboard-event'] as string)
      res.writeHead(200).end('ok')
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    try {
      const row = page.locator('.rule-row', { hasText: 'Loop detection' })
      await row.locator('.rule-edit').click()
      await page.click('.rule-form .action-fields button:has-text("+ Webhook")')
      await page.fill('input[data-field="actions.0.url"]', hook)
      await page.click('.rule-form button[type="submit"]')
      await page.waitForSelector('.rule-form', { state: 'hidden' })
      await expect.poll(async () => row.locator('.rule-actions').textContent()).toBe(`Webhook ${hook}`)
      await row.locator('.rule-test').click()
      await expect
        .poll(async () => row.locator('.row-message').textContent())
        .toMatch(new RegExp(`^webhook ${hook}: sent 200 \\(\\d+ ms\\)$`))
      expect(received).toEqual(['alert.fired'])
    } finally {
      receiver.close()
    }
  })

  it('Delete asks for confirmation, then removes the rule (D49)', async () => {
    const row = page.locator('.rule-row', { hasText: 'Budget' })
    await row.locator('.rule-delete').click()
    expect(await row.locator('.confirm-text').textContent()).toBe('Delete “Budget”?')
    await row.locator('.rule-delete-confirm').click()
    await row.waitFor({ state: 'detached' })
    const rules = (await api('GET', '/v1/alerts/rules')) as { data: { name: string }[] }
    expect(rules.data.map((r) => r.name)).not.toContain('Budget')
  })

  it('history pages by 50 with Load more, alerts of one batch included (D50, D10)', async () => {
    await api('POST', '/v1/alerts/rules', { name: 'Bulk', condition_type: 'task_failed', cooldown_seconds: 0 })
    const now = Date.now()
    await ingest(
      srv,
      'worker-2',
      Array.from({ length: 55 }, (_, i) => ev('task_failed', now - 60_000 + i * 100, { task_id: `bulk-${i}` })),
    )
    const total = (await api('GET', '/v1/alerts/history?limit=200')) as { data: unknown[] }
    await page.reload()
    await page.waitForFunction(() => document.querySelectorAll('.history-row').length === 50)
    expect(await page.isVisible('.history-section .load-more')).toBe(true)
    await page.click('.history-section .load-more')
    await page.waitForFunction((n) => document.querySelectorAll('.history-row').length === n, total.data.length)
    expect(await page.isHidden('.history-section .load-more')).toBe(true)
    expect(await page.textContent('.alert-banner .alert-count')).toMatch(/^\d+ open alerts$/)
  })

  it('a read key sees rules and history but no write controls (api.md §2.4, D8)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const readPage = await ctx.newPage()
    await readPage.goto(`${srv.url}/static/index.html?apiKey=${srv.keys.read}&view=alerts`)
    await readPage.waitForSelector('.rule-row')
    expect(await readPage.$$('.new-rule, .rule-edit, .rule-delete, .enable-loop')).toHaveLength(0)
    expect(await readPage.isDisabled('.rule-row .rule-enabled')).toBe(true)
    expect(await readPage.isVisible('.read-only-note')).toBe(true)
    await ctx.close()
    expect(problems).toEqual([])
  })
})

/** Without a live socket (the test server's recording broadcaster), alerts still arrive by the polling fallback. */
describe.runIf(run)('alerts while polling (D14, D16)', () => {
  let srv: TestServer
  let browser: Browser

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    await ingest(srv, 'poller', [ev('agent_registered', Date.now() - 1000)])
    browser = await launch()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
  })

  it('a firing rule shows in history and the banner without reload, from the polled events', async () => {
    const res = await srv.post('/v1/alerts/rules', { name: 'Polled failures', condition_type: 'task_failed' })
    expect(res.status).toBe(201)
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(`${srv.url}/static/index.html?apiKey=${srv.keys.live}&view=alerts`)
    await page.waitForFunction(
      () => document.querySelector('.pill')?.textContent?.startsWith('Polling') === true,
      null,
      {
        timeout: 15_000,
      },
    )
    await page.waitForSelector('.history-section .panel-status.is-empty')
    await ingest(srv, 'poller', [ev('task_failed', Date.now(), { task_id: 'polled-1' })])
    // Poll (5 s) + the 2 s debounced alert refetch.
    await page.waitForSelector('.history-row', { timeout: 20_000 })
    expect(await page.textContent('.history-row .hist-task')).toBe('polled-1')
    await page.waitForSelector('.alert-banner:not([hidden])')
    expect(await page.textContent('.alert-banner .alert-newest')).toBe('Polled failures: poller failed polled-1')
    await page.close()
  }, 45_000)
})
