/**
 * The dashboard on the signed-in session (D64 Beyond, D6, D7, D9): Open dashboard creates no key, REST and the live
 * stream carry the JWT, and a session that expires or is refused while the page is open sends the user to login with
 * `next` = the dashboard's address, URL state included. Real server, real chromium, events through loophive.
 */
import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { HiveBoard, Task } from 'loophive'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sdkClient, send } from '../fixtures.js'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()
const USER = { name: 'Sam Session', email: 'sam@session.test', password: 'hive-session-1', tenant_name: 'Session Co' }
const STATE = '/static/index.html?view=agent&agent=scout&tab=heartbeat&range=6h'

describe.runIf(run)('dashboard on the session (D64 Beyond)', { timeout: 90_000 }, () => {
  let srv: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let hb: HiveBoard
  let task: Task
  /** The workspace's live key from register, used only by the agent and to count keys from outside the browser. */
  let agentKey = ''
  const authHeaders = new Set<string>()
  const socketUrls: string[] = []

  const keyCount = async () => {
    const r = await srv.get('/v1/api-keys', agentKey)
    return ((await r.json()) as { data: unknown[] }).data.length
  }
  const jwt = () => page.evaluate(() => localStorage.getItem('hb_token'))
  const streamHas = (text: string) =>
    page.waitForFunction((t) => document.querySelector('.stream-list')?.textContent?.includes(t) === true, text, {
      timeout: 10_000,
    })

  /** Fills login.html's form; `alreadyThere` = the page was redirected to login (its `next` is kept). */
  async function signIn(alreadyThere = false): Promise<void> {
    if (!alreadyThere) await page.goto(`${srv.url}/login.html`)
    await page.fill('#f-email', USER.email)
    await page.fill('#f-password', USER.password)
    await page.click('button[type=submit]')
  }

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock, liveStream: true })
    const registered = await srv.post('/v1/auth/register', USER)
    agentKey = ((await registered.json()) as { api_key: string }).api_key
    hb = sdkClient({ url: srv.url, keys: { live: agentKey }, post: (path, body, key) => srv.post(path, body, key) })
    const scout = hb.agent('scout', { type: 'scout', heartbeatIntervalMs: 0 })
    task = scout.startTask('task-scan-1', { type: 'scan' })
    await send(hb)
    browser = await launch()
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    page = await context.newPage()
    // An observer only: every REST call's Authorization header, then on to the real server.
    await page.route('**/v1/**', async (route) => {
      const r = route.request()
      if (!r.url().includes('/v1/auth/')) authHeaders.add((await r.allHeaders()).authorization ?? '')
      await route.continue()
    })
    page.on('websocket', (ws) => socketUrls.push(ws.url()))
  }, 60_000)

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await hb?.shutdown()
    await srv?.close()
  })

  it('sign in, Open dashboard: the fleet loads on the JWT, no key is created, the live stream works', async () => {
    await signIn()
    await page.waitForURL(/\/home\.html/)
    const keysBefore = await keyCount()
    authHeaders.clear()
    await page.click('.open-dashboard')
    await page.waitForURL(/\/static\/index\.html$/)
    await page.waitForSelector('.agent-card[data-agent-id="scout"]')
    await page.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live', null, { timeout: 10_000 })
    const token = await jwt()
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    expect([...authHeaders]).toEqual([`Bearer ${token}`])
    expect(socketUrls.at(-1)).toContain(`token=${encodeURIComponent(token ?? '')}`)
    expect(await keyCount()).toBe(keysBefore)
    expect(await page.evaluate(() => localStorage.getItem('hiveboard_api_key'))).toBeNull()
    expect(await page.textContent('.identity summary')).toBe(`${USER.name} · owner`)

    task.complete()
    await send(hb)
    await streamHas('scout completed task-scan-1')
    await shot(page, 'session-dashboard-live')
  })

  it('Insights opens on the same session: every call carries the JWT (D54, D64 Beyond)', async () => {
    authHeaders.clear()
    await page.goto(`${srv.url}/static/insights.html`)
    await page.waitForSelector('[data-card="Fleet"]')
    await page.waitForSelector('.newest-list li')
    expect([...authHeaders]).toEqual([`Bearer ${await jwt()}`])
  })

  it('a session refused while open (signed out everywhere) → login with next; signing in returns to the same view', async () => {
    await page.goto(`${srv.url}${STATE}`)
    await page.waitForSelector('.agent-card[data-agent-id="scout"]')
    const out = await fetch(`${srv.url}/v1/auth/logout-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await jwt()}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(out.status).toBe(200)
    // The next request (the agents refetch a new agent's first event triggers) gets the server's 401.
    hb.agent('relief-1', { type: 'scout', heartbeatIntervalMs: 0 })
    await send(hb)
    await page.waitForURL(/\/login\.html/)
    const url = new URL(page.url())
    expect(url.searchParams.get('next')).toBe(STATE)
    expect(url.searchParams.get('reason')).toBe('session_expired')
    expect(await page.textContent('.banner')).toBe('Your session expired.')
    expect(await jwt()).toBeNull()
    await shot(page, 'session-expired-login')

    await signIn(true)
    await page.waitForURL(`${srv.url}${STATE}`)
    await page.waitForSelector('.agent-card[data-agent-id="scout"]')
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(STATE)
  })

  it('a session that expires while open is checked before the next request → login with next (D9)', async () => {
    await page.evaluate(() => localStorage.setItem('hb_token_exp', String(Math.floor(Date.now() / 1000) + 10)))
    hb.agent('relief-2', { type: 'scout', heartbeatIntervalMs: 0 })
    await send(hb)
    await page.waitForURL(/\/login\.html/)
    expect(new URL(page.url()).searchParams.get('next')).toBe(STATE)
    expect(await page.isVisible('#f-email')).toBe(true)
  })

  it('an expired session at load, no key → login with next, not the Connect card (D9)', async () => {
    const fresh = await browser.newContext()
    await fresh.addInitScript(() => {
      if (!location.pathname.startsWith('/static/')) return
      localStorage.setItem('hb_token', 'stale.jwt.token')
      localStorage.setItem('hb_token_exp', String(Math.floor(Date.now() / 1000) - 60))
    })
    const p = await fresh.newPage()
    await p.goto(`${srv.url}${STATE}`)
    await p.waitForURL(/\/login\.html/)
    expect(new URL(p.url()).searchParams.get('next')).toBe(STATE)
    expect(await p.evaluate(() => localStorage.getItem('hb_token'))).toBeNull()
    await fresh.close()
  })

  it('no session and a stored key: the dashboard works on the key as before (D6)', async () => {
    const fresh = await browser.newContext()
    await fresh.addInitScript((key) => localStorage.setItem('hiveboard_api_key', key), agentKey)
    const p = await fresh.newPage()
    const seen = new Set<string>()
    await p.route('**/v1/**', async (route) => {
      seen.add((await route.request().allHeaders()).authorization ?? '')
      await route.continue()
    })
    await p.goto(`${srv.url}/static/index.html`)
    await p.waitForSelector('.agent-card[data-agent-id="scout"]')
    expect([...seen]).toEqual([`Bearer ${agentKey}`])
    await fresh.close()
  })
})
