/**
 * Pricing overrides edited in place on home.html#settings (D58, D62, api.md §4.9): a real server, real chromium.
 * The owner edits an override (Enter saves, the next ingest is priced with it), sees the server's field errors on
 * the fields, cancels with Esc without a request, and is told when the override was removed meanwhile; a member
 * gets no Edit.
 */
import { systemClock } from '@hiveboard/server'
import { anEvent, startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()
const OWNER = { name: 'Paula Price', email: 'paula@pricing.test', password: 'hive-price-1', tenant_name: 'Pricing Co' }
const MEMBER = { name: 'Max Member', email: 'max@pricing.test', password: 'hive-member-1' }
const ROW = '.pricing-table tr[data-pattern="acme-large"]'
const EDITOR = 'form.pricing-edit'

describe.runIf(run)('pricing overrides edited in place (D58, D62)', { timeout: 90_000 }, () => {
  let srv: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  /** The owner's live key from register: acts with the owner's role, for checks from outside the browser. */
  let ownerKey = ''

  const send = (method: string, path: string, body?: unknown) =>
    fetch(srv.url + path, {
      method,
      headers: { authorization: `Bearer ${ownerKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const json = async <T>(r: Promise<Response>): Promise<T> => (await r).json() as Promise<T>
  const overrides = async () =>
    (await json<{ data: Record<string, unknown>[] }>(send('GET', '/v1/admin/pricing?source=override'))).data
  const addOverride = (pattern: string) =>
    send('POST', '/v1/admin/pricing', { model_pattern: pattern, provider: 'acme', input_per_m: 1, output_per_m: 2 })

  async function signIn(p: Page, email: string, password: string): Promise<void> {
    await p.goto(`${srv.url}/login.html`)
    await p.fill('#f-email', email)
    await p.fill('#f-password', password)
    await p.click('button[type=submit]')
    await p.waitForURL(/\/home\.html/)
  }

  /** A fresh load of #settings, waiting until the overrides list has loaded. */
  async function settings(p: Page): Promise<void> {
    await p.goto(`${srv.url}/home.html#settings`)
    await p.reload()
    await p.waitForSelector('.section-body[data-section=settings] .password-form')
    await p.waitForFunction(() => document.querySelector('.list-panel[aria-busy]') === null)
  }

  const focusedIsEditOf = (pattern: string) =>
    page.evaluate(
      (pt) => document.activeElement?.matches(`.pricing-table tr[data-pattern="${pt}"] button.edit`) === true,
      pattern,
    )

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    ownerKey = (await json<{ api_key: string }>(srv.post('/v1/auth/register', OWNER))).api_key
    const invite = await json<{ invite_token: string }>(send('POST', '/v1/auth/invite', { email: MEMBER.email }))
    const accepted = await srv.post('/v1/auth/accept-invite', { invite_token: invite.invite_token, ...MEMBER })
    expect(accepted.status).toBe(200)
    expect((await addOverride('acme-large')).status).toBe(201)
    browser = await launch()
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    await signIn(page, OWNER.email, OWNER.password)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
  })

  it('the owner edits an override in place: Enter saves, the list and the API show it, the next ingest uses it (D62, api.md §4.9)', async () => {
    await settings(page)
    await page.click(`${ROW} button.edit`)
    await page.waitForSelector(`${ROW} + tr ${EDITOR}`)
    expect(await page.inputValue('#f-price-edit-provider')).toBe('acme')
    expect(await page.inputValue('#f-price-edit-input_per_m')).toBe('1')
    await page.fill('#f-price-edit-provider', 'acme-ai')
    await page.fill('#f-price-edit-input_per_m', '3')
    await page.fill('#f-price-edit-output_per_m', '12')
    await shot(page, 'account-home-pricing-edit')
    await page.press('#f-price-edit-output_per_m', 'Enter')
    await page.waitForSelector(EDITOR, { state: 'detached' })
    await page.waitForFunction((r) => document.querySelector(r)?.textContent?.includes('acme-ai') === true, ROW)
    expect(await page.$$eval(`${ROW} td`, (tds) => tds.slice(0, 4).map((td) => td.textContent))).toEqual([
      'acme-large',
      'acme-ai',
      '3',
      '12',
    ])
    expect(await focusedIsEditOf('acme-large')).toBe(true)
    expect(await overrides()).toMatchObject([
      { model_pattern: 'acme-large', provider: 'acme-ai', input_per_m: 3, output_per_m: 12, source: 'override' },
    ])

    // An llm_call without a cost is estimated with the edited prices: 1 000 × 3/1M + 500 × 12/1M.
    const data = { model: 'acme-large', tokens_in: 1000, tokens_out: 500 }
    const payload = { kind: 'llm_call', summary: 'call', data }
    const event = anEvent({ event_type: 'custom', timestamp: new Date().toISOString(), payload })
    expect((await send('POST', '/v1/ingest', { envelope: { agent_id: 'pricer' }, events: [event] })).status).toBe(200)
    const calls = await json<{ data: Record<string, unknown>[] }>(send('GET', '/v1/llm-calls?limit=1'))
    expect(calls.data[0]).toMatchObject({ cost: 0.009, cost_source: 'estimated', cost_model_matched: 'acme-large' })
  })

  it("a bad price shows the server's field error on its field and stays in edit mode; Esc then cancels (D58)", async () => {
    await settings(page)
    await page.click(`${ROW} button.edit`)
    await page.fill('#f-price-edit-input_per_m', '-1')
    await page.fill('#f-price-edit-output_per_m', '20000')
    await page.click(`${EDITOR} button[type=submit]`)
    await page.waitForFunction(
      () => (document.querySelector('#f-price-edit-input_per_m-err')?.textContent ?? '') !== '',
    )
    expect(await page.textContent('#f-price-edit-output_per_m-err')).not.toBe('')
    expect(await page.getAttribute('#f-price-edit-input_per_m', 'aria-invalid')).toBe('true')
    expect(await page.$$(`${ROW} + tr ${EDITOR} button[type=submit]:enabled`)).toHaveLength(1)
    await shot(page, 'account-home-pricing-edit-error')
    await page.press('#f-price-edit-input_per_m', 'Escape')
    await page.waitForSelector(EDITOR, { state: 'detached' })
    expect(await focusedIsEditOf('acme-large')).toBe(true)
    expect(await overrides()).toMatchObject([{ model_pattern: 'acme-large', input_per_m: 3, output_per_m: 12 }])
  })

  it('Esc cancels without a request and gives focus back to Edit (D62)', async () => {
    await settings(page)
    const writes: string[] = []
    const record = (r: { method(): string; url(): string }) => {
      if (r.method() !== 'GET') writes.push(`${r.method()} ${r.url()}`)
    }
    page.on('request', record)
    await page.click(`${ROW} button.edit`)
    await page.fill('#f-price-edit-input_per_m', '99')
    await page.keyboard.press('Escape')
    await page.waitForSelector(EDITOR, { state: 'detached' })
    page.off('request', record)
    expect(writes).toEqual([])
    expect(await focusedIsEditOf('acme-large')).toBe(true)
    expect(await page.$$eval(`${ROW} td`, (tds) => tds[2]?.textContent)).toBe('3')
  })

  it('an override removed meanwhile by someone else is said in words and the list reloads (D58)', async () => {
    expect((await addOverride('acme-small')).status).toBe(201)
    await settings(page)
    const row = '.pricing-table tr[data-pattern="acme-small"]'
    await page.click(`${row} button.edit`)
    expect((await send('DELETE', '/v1/admin/pricing/acme-small')).status).toBe(200)
    await page.click(`${EDITOR} button[type=submit]`)
    await page.waitForFunction(() => document.querySelector('.action-error')?.textContent?.includes('removed') === true)
    expect(await page.textContent('.action-error')).toBe(
      'The override for acme-small was removed meanwhile by someone else.',
    )
    await page.waitForSelector(row, { state: 'detached' })
    expect(await page.$$(EDITOR)).toHaveLength(0)
  })

  it('a built-in price gets Override: the same form pre-filled, and after saving the row shows as an override (api.md §4.9)', async () => {
    await settings(page)
    const builtin = '.builtin-pricing-table tr[data-pattern="gpt-4o"]'
    await page.click('.builtin-pricing summary')
    await page.click(`${builtin} button.override`)
    expect(await page.inputValue('#f-price-edit-provider')).toBe('openai')
    expect(await page.inputValue('#f-price-edit-input_per_m')).toBe('2.5')
    expect(await page.inputValue('#f-price-edit-output_per_m')).toBe('10')
    await page.fill('#f-price-edit-input_per_m', '2')
    await shot(page, 'account-home-pricing-override-builtin')
    await page.press('#f-price-edit-input_per_m', 'Enter')
    await page.waitForSelector('.pricing-table tr[data-pattern="gpt-4o"]')
    await page.waitForSelector(builtin, { state: 'detached' })
    expect(await focusedIsEditOf('gpt-4o')).toBe(true)
    const gpt = (await overrides()).find((o) => o['model_pattern'] === 'gpt-4o')
    expect(gpt).toMatchObject({ provider: 'openai', input_per_m: 2, output_per_m: 10, source: 'override' })

    // Removing the override shows the built-in price again.
    await page.click('.pricing-table tr[data-pattern="gpt-4o"] button.remove')
    await page.waitForSelector(`${builtin} button.override`)
  })

  it('a member sees the settings but no pricing Edit (D62; the server enforces it too)', async () => {
    const memberContext = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const memberPage = await memberContext.newPage()
    await signIn(memberPage, MEMBER.email, MEMBER.password)
    await settings(memberPage)
    expect(await memberPage.$$('.pricing-table button.edit, .pricing-form')).toHaveLength(0)
    await memberContext.close()
    const put = await fetch(`${srv.url}/v1/admin/pricing/acme-large`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await memberToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'x', input_per_m: 1, output_per_m: 1 }),
    })
    expect(put.status).toBe(403)
  })

  async function memberToken(): Promise<string> {
    const login = { email: MEMBER.email, password: MEMBER.password }
    const r = fetch(`${srv.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(login),
    })
    return (await json<{ token: string }>(r)).token
  }
})
