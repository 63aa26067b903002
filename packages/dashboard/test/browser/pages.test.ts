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
