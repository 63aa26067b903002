import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seed } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()
const HOST = 'hiveboard.test'

describe.runIf(run)('production detection and account pages', () => {
  let srv: TestServer
  let browser: Browser
  let port: string

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    await seed(srv)
    port = new URL(srv.url).port
    browser = await launch([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`])
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
  })

  /** The API as production would see it: a non-localhost name (CSP connect-src allows 'self' and https:). */
  const api = () => `http://${HOST}:${port}`

  /** A context where config.js (as an operator would edit it on S3) points the API at the test server. */
  async function productionContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    await context.route('**/static/js/config.js', (route) =>
      route.fulfill({
        contentType: 'text/javascript',
        body: `window.HIVEBOARD_CONFIG = { endpoint: ${JSON.stringify(api())}, wsUrl: '' }`,
      }),
    )
    return context
  }

  it('when in production without a credential, then the dashboard goes to login with next (D6)', async () => {
    const context = await productionContext()
    const page = await context.newPage()
    await page.goto(`http://${HOST}:${port}/static/index.html?view=task&task=task-lead-1`)
    await page.waitForURL(/\/login\.html/)
    expect(new URL(page.url()).searchParams.get('next')).toBe('/static/index.html?view=task&task=task-lead-1')
    await page.waitForSelector('form.card')
    expect(await page.textContent('h1')).toBe('Sign in to HiveBoard')
    await shot(page, 'login')
    await context.close()
  })

  it('when in production with ?apiKey=, then it is stripped, the configured endpoint is used and the pill says polling (D5, D6)', async () => {
    const context = await productionContext()
    const page = await context.newPage()
    const apiHosts = new Set<string>()
    page.on('request', (r) => {
      if (r.url().includes('/v1/')) apiHosts.add(new URL(r.url()).origin)
    })
    await page.goto(`http://${HOST}:${port}/static/index.html?apiKey=${srv.keys.read}&view=mission`)
    await page.waitForSelector('.agent-card')
    expect(page.url()).not.toContain('apiKey')
    expect([...apiHosts]).toEqual([api()])
    expect(await page.textContent('.pill')).toBe('Polling (live stream not configured)')
    await context.close()
  })

  it('when the stored key is rejected in production, then login explains why (D7)', async () => {
    const context = await productionContext()
    await context.addInitScript(() => {
      if (location.pathname.startsWith('/static/')) localStorage.setItem('hiveboard_api_key', 'hb_live_revoked0000')
    })
    const page = await context.newPage()
    await page.goto(`http://${HOST}:${port}/static/index.html`)
    await page.waitForURL(/\/login\.html/)
    await page.waitForSelector('.banner')
    expect(await page.textContent('.banner')).toContain('Your API key was rejected')
    await context.close()
  })

  it('locally without a credential, a Connect card checks a pasted key (D6)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${srv.url}/static/index.html`)
    await page.waitForSelector('.connect-card')
    await shot(page, 'connect-card')
    await page.fill('#connect-key', 'hb_live_wrongwrongwrong')
    await page.click('.connect-card button[type=submit]')
    await page.waitForFunction(() => document.querySelector('#connect-error')?.textContent === 'This key was rejected.')
    await page.fill('#connect-key', srv.keys.live)
    await page.click('.connect-card button[type=submit]')
    await page.waitForSelector('.agent-card')
    await context.close()
  })

  it('Insights shows the error state when /v1/insights fails, then health, readiness and detectors (D54–D57)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    await context.addInitScript((key) => localStorage.setItem('hiveboard_api_key', key), srv.keys.live)
    const page = await context.newPage()
    await page.route('**/v1/insights?*', (r) =>
      r.fulfill({
        status: 503,
        json: { error: 'storage_unavailable', message: 'Storage is unavailable', status: 503 },
      }),
    )
    await page.goto(`${srv.url}/static/insights.html`)
    await page.waitForSelector('.panel-status.is-error')
    await page.unroute('**/v1/insights?*')
    const bucket = (i: number) => ({
      tasks_completed: 4,
      error_count: i === 5 ? 6 : 0,
      cost: 0.1,
      cost_per_task: 0.025,
      avg_duration_ms: 40_000,
    })
    await page.route('**/v1/insights?*', (r) =>
      r.fulfill({
        json: {
          fleet: {
            total: 5,
            online: 4,
            by_status: { processing: 2, idle: 1, waiting_approval: 1, error: 0, stuck: 1 },
            needs_attention: { total: 3, stuck: 1, error: 0, waiting_approval: 1, active_issues: 1 },
            utilization_percent: 40,
            stuck_agents: [
              { agent_id: 'scout', heartbeat_age_seconds: 640, stuck_threshold_seconds: 300, current_task_id: 't-9' },
            ],
            idle_with_queue: { agents: 1, queued_items: 4 },
          },
          tasks: {
            total: 120,
            completed: 100,
            failed: 8,
            success_rate: 92.6,
            avg_duration_ms: 41_250,
            escalation_rate: 2.5,
            human_intervention_rate: 6.7,
          },
          cost: {
            total_cost: 4.21,
            avg_cost_per_task: 0.0351,
            calls_per_task: 7.5,
            token_ratio: 8,
            by_model: [
              { model: 'gpt-4o', cost: 3.1, share_percent: 95 },
              { model: 'mini', cost: 0.2, share_percent: 5 },
            ],
          },
          timeseries: Array.from({ length: 6 }, (_, i) => bucket(i)),
          agent_ranking: [{ agent_id: 'lead-qualifier', tasks_completed: 9, success_rate: 90, total_cost: 0.4 }],
        },
      }),
    )
    await page.click('.panel-status .retry, .panel-status button')
    await page.waitForSelector('.sec-review [data-card="Fleet health"]')
    // health: 100 − 15 (1 stuck) − 0 (success ≥ 90) − 5 (1 issue) = 80
    expect(await page.textContent('[data-card="Fleet health"] .stat-value')).toBe('80 Healthy')
    expect(await page.textContent('[data-card="Error burst"] .stat-value')).toBe('error')
    expect(await page.textContent('[data-card="Model imbalance"] .stat-value')).toBe('warn')
    expect(await page.textContent('[data-card="Scale readiness"] .stat-value')).toBe('4/7 Not ready yet')
    expect(await page.textContent('[data-card="ROI"] .stat-value')).toBe('890.7×')
    await shot(page, 'insights')
    await context.close()
  })

  it('register and accept-invite render their forms; an invite link without token says so (D59, D61)', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(`${srv.url}/register.html`)
    await page.waitForSelector('#f-tenant_name')
    await page.fill('#f-tenant_name', 'NewCo, Inc.')
    await page.waitForFunction(
      () => document.querySelector('.slug-line')?.textContent?.startsWith('newco-inc') === true,
    )
    await shot(page, 'register')
    await page.goto(`${srv.url}/accept-invite.html?token=abc`)
    await page.waitForSelector('#f-password')
    expect(page.url()).not.toContain('token=')
    await shot(page, 'accept-invite')
    await page.goto(`${srv.url}/accept-invite.html`)
    await page.waitForSelector('h1')
    expect(await page.textContent('h1')).toBe('Invalid invite link')
    await page.goto(`${srv.url}/home.html`)
    await page.waitForURL(/\/login\.html\?next=%2Fhome\.html/)
    await context.close()
  })
})
