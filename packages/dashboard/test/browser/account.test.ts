/**
 * Account pages end to end (D58–D64, D73, D74): a real server, real chromium, the real loophive SDK. The cases run
 * in order and share one workspace, as a user would: register, keys, invites, roles, projects, settings.
 */
import { ManualClock, systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserAvailable, DIST, ensureBuilt, launch, shot } from './harness.js'

const run = browserAvailable()

const OWNER = { name: 'Olive Owner', email: 'olive@acme.test', password: 'hive-owner-1', workspace: 'Acme Robotics' }
const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'hive-member-1' }
const VIEWER = { name: 'Vic Viewer', email: 'vic@acme.test', password: 'hive-viewer-1' }
const INVALID_INVITE = 'This invite link is invalid, expired or already used.'

describe.runIf(run)('account pages end to end (D58–D64)', { timeout: 120_000 }, () => {
  let srv: TestServer
  let browser: Browser
  /** The owner's signed-in context, kept across cases like a user's browser. */
  let owner: BrowserContext
  let ownerPage: Page
  let createdKey = ''

  beforeAll(async () => {
    ensureBuilt()
    srv = await startTestServer({ config: { dashboard_dir: DIST }, clock: systemClock })
    browser = await launch()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
  })

  const newContext = () => browser.newContext({ viewport: { width: 1280, height: 900 } })
  const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim()

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${srv.url}/login.html`)
    await page.fill('#f-email', email)
    await page.fill('#f-password', password)
    await page.click('button[type=submit]')
    await page.waitForURL(/\/home\.html/)
    await page.waitForSelector('.section-body h2')
  }

  async function section(page: Page, name: string): Promise<void> {
    const url = `${srv.url}/home.html#${name}`
    // Same address: a fresh load (goto would only be a fragment navigation and keep the page as it is).
    if (page.url() === url) await page.reload()
    else await page.goto(url)
    await page.waitForSelector(`.section-body[data-section=${name}]`)
    await page.waitForFunction(() => document.querySelector('.list-panel[aria-busy]') === null)
  }

  /** Owner creates an invite on #team and reads the one-time link off the page. */
  async function invite(page: Page, email: string, role: string): Promise<string> {
    await section(page, 'team')
    await page.fill('#f-invite-email', email)
    await page.selectOption('#f-invite-role', role)
    await page.click('.invite-form button[type=submit]')
    await page.waitForSelector('.secret-box pre.secret')
    return text(page, '.secret-box pre.secret')
  }

  async function accept(context: BrowserContext, link: string, name: string, password: string): Promise<Page> {
    const page = await context.newPage()
    await page.goto(link)
    await page.waitForSelector('#f-password')
    await page.fill('#f-name', name)
    await page.fill('#f-password', password)
    await page.click('button[type=submit]')
    return page
  }

  async function confirm(page: Page): Promise<void> {
    await page.waitForSelector('.confirm-dialog')
    await page.click('.confirm-dialog .dialog-actions button:last-child')
    await page.waitForSelector('.confirm-dialog', { state: 'detached' })
  }

  it('register → wrong password → login → home → create key → the key ingests via loophive → Open dashboard shows the agent (D59, D60, D62–D64)', async () => {
    owner = await newContext()
    const page = await owner.newPage()
    ownerPage = page
    await page.goto(`${srv.url}/register.html`)
    await page.fill('#f-name', OWNER.name)
    await page.fill('#f-email', 'not-an-email')
    await page.fill('#f-password', OWNER.password)
    await page.fill('#f-tenant_name', OWNER.workspace)
    await page.waitForFunction(
      () => document.querySelector('.slug-line')?.textContent === 'acme-robotics · ✓ available',
    )
    // The server's validation envelope lands next to the e-mail field (details.fields `body.email`, D58).
    await page.click('button[type=submit]')
    await page.waitForFunction(() => (document.querySelector('#f-email-err')?.textContent ?? '') !== '')
    expect(await page.getAttribute('#f-email', 'aria-invalid')).toBe('true')
    await shot(page, 'account-register-field-error')
    await page.fill('#f-email', OWNER.email)
    await page.click('button[type=submit]')
    await page.waitForSelector('.api-key')
    const registeredKey = await text(page, '.api-key')
    expect(registeredKey).toMatch(/^hb_live_[0-9a-f]{32}$/)
    await shot(page, 'account-register-done')
    // D59 Beyond fallback: Continue signs in by itself; when that sign-in fails (here a 500), login.html says so
    // with the e-mail prefilled. The password was never written to storage.
    let signInAttempts = 0
    await page.route(
      '**/v1/auth/login',
      (route) => {
        signInAttempts += 1
        return route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal"}' })
      },
      { times: 1 },
    )
    await page.click('button.continue')
    await page.waitForURL(/\/login\.html/)
    expect(signInAttempts).toBe(1)
    expect(await page.inputValue('#f-email')).toBe(OWNER.email)
    expect(await text(page, '.banner')).toBe(
      'Your workspace is ready, but signing you in failed — sign in with your new password.',
    )
    expect(await page.evaluate(() => localStorage.getItem('hb_token'))).toBeNull()
    await page.fill('#f-password', 'not-my-password')
    await page.click('button[type=submit]')
    await page.waitForFunction(
      () => document.querySelector('.error-text')?.textContent === 'Invalid email or password.',
    )
    await shot(page, 'account-login-error')
    await page.fill('#f-password', OWNER.password)
    await page.click('button[type=submit]')
    await page.waitForURL(/\/home\.html/)
    await page.waitForSelector('.overview-figures')
    expect(await text(page, '.account-head h1')).toBe(OWNER.workspace)
    expect(await text(page, '.identity summary')).toBe(`${OWNER.name} · owner`)
    expect(await text(page, '.sdk-snippet')).toContain(`init({ apiKey: '${registeredKey}', endpoint: '${srv.url}' })`)
    await shot(page, 'account-home-overview')

    await section(page, 'keys')
    await page.fill('#f-key-label', 'CI agent')
    await page.selectOption('#f-key-key_type', 'live')
    await page.click('.key-form button[type=submit]')
    await page.waitForSelector('.secret-box pre.secret')
    createdKey = await text(page, '.secret-box pre.secret')
    expect(createdKey).toMatch(/^hb_live_[0-9a-f]{32}$/)
    await page.waitForSelector(`.keys-table tr[data-prefix="${createdKey.slice(0, 12)}"]`)
    expect(await text(page, `.keys-table tr[data-prefix="${createdKey.slice(0, 12)}"]`)).not.toContain(createdKey)
    await shot(page, 'account-home-keys-created')

    // The page's own snippet, run as written (D63): `init` from loophive with the new key and CONFIG's endpoint.
    const snippet = await text(page, '.secret-box .sdk-snippet')
    expect(snippet).toContain('npm i loophive')
    const options = /init\(\{ apiKey: '([^']+)', endpoint: '([^']+)' \}\)/.exec(snippet)
    expect(options?.[1]).toBe(createdKey)
    expect(options?.[2]).toBe(srv.url)
    const { init, shutdown } = await import('loophive')
    const hb = init({ apiKey: options?.[1] ?? '', endpoint: options?.[2], handleSignals: false, logger: false })
    hb.agent('acme-scout', { type: 'scout' })
    const result = await shutdown()
    expect(result.sent).toBeGreaterThan(0)

    // Shown once: a reload lists the prefix only.
    await page.reload()
    await page.waitForSelector('.keys-table')
    expect(await page.content()).not.toContain(createdKey)

    await page.click('.open-dashboard')
    await page.waitForURL(/\/static\/index\.html/)
    await page.waitForSelector('.agent-card[data-agent-id="acme-scout"]')
    expect(await text(page, '.identity summary')).toBe(`${OWNER.name} · owner`)
    await page.click('.identity summary')
    // D6: the key register stored comes before the session
    expect(await text(page, '.identity .identity-key')).toContain(registeredKey.slice(0, 12))
    expect(await text(page, '.identity .identity-role')).toBe(`owner · ${OWNER.workspace}`)
    await shot(page, 'account-dashboard-identity-menu')
  })

  it('invite → accept in a fresh browser → the member lands in the same workspace and sees its data; the link works once (D61, D62, D64)', async () => {
    const link = await invite(ownerPage, MEMBER.email, 'member')
    expect(link).toMatch(new RegExp(`^${srv.url}/accept-invite\\.html\\?token=[0-9a-f-]{36}$`))
    await ownerPage.waitForSelector(`.invites-table tr[data-email="${MEMBER.email}"]`)
    await shot(ownerPage, 'account-home-team-invite')

    const fresh = await newContext()
    const page = await accept(fresh, link, MEMBER.name, MEMBER.password)
    await page.waitForURL(/\/home\.html/)
    await page.waitForSelector('.overview-figures')
    expect(await text(page, '.account-head h1')).toBe(OWNER.workspace)
    expect(await text(page, '.identity summary')).toBe(`${MEMBER.name} · member`)
    expect(await page.$$eval('.account-nav a', (as) => as.map((a) => a.textContent))).not.toContain('Team')
    // This browser knows no key yet: the snippet says so and offers to create one (D63).
    expect(await text(page, '.sdk-snippet')).toContain("init({ apiKey: '<your API key>', endpoint:")
    expect(await page.getAttribute('.section-body a.button', 'href')).toBe('#keys')
    await page.click('.open-dashboard')
    await page.waitForURL(/\/static\/index\.html/)
    await page.waitForSelector('.agent-card[data-agent-id="acme-scout"]')
    // D64 Beyond: on the session, so no "Dashboard (this browser)" key is made for the member.
    expect(await page.evaluate(() => localStorage.getItem('hiveboard_api_key'))).toBeNull()
    await fresh.close()

    const again = await newContext()
    const reused = await accept(again, link, 'Someone Else', 'another-pass')
    await reused.waitForFunction((t) => document.querySelector('.error-text')?.textContent === t, INVALID_INVITE)
    await shot(reused, 'account-accept-invite-used')
    await again.close()
  })

  it('a viewer sees no write actions; a member whose role changes meanwhile is sent to sign in again (D8, D58, D62)', async () => {
    const link = await invite(ownerPage, VIEWER.email, 'viewer')
    const context = await newContext()
    const page = await accept(context, link, VIEWER.name, VIEWER.password)
    await page.waitForURL(/\/home\.html/)
    await page.waitForSelector('.overview-figures')
    expect(await page.$$eval('.account-nav a', (as) => as.map((a) => a.textContent))).toEqual([
      'Overview',
      'Projects',
      'API keys',
      'Settings',
    ])
    await section(page, 'projects')
    await page.waitForSelector('.projects-table')
    expect(await page.$$('.project-form, .projects-table button')).toHaveLength(0)
    await shot(page, 'account-home-viewer-projects')
    await section(page, 'keys')
    expect(await page.$$eval('#f-key-key_type option', (os) => os.map((o) => o.getAttribute('value')))).toEqual([
      'read',
    ])
    // Keys of other users: no Revoke for a viewer.
    expect(await page.$$('.keys-table button.revoke')).toHaveLength(0)
    await page.goto(`${srv.url}/home.html#team`)
    await page.waitForSelector('.section-body[data-section=overview]')
    await section(page, 'settings')
    expect(await page.$$('.pricing-form')).toHaveLength(0)
    await context.close()

    // Mia's page is open with member controls when the owner makes her a viewer: the server refuses, in words.
    const mia = await newContext()
    const miaPage = await mia.newPage()
    await signIn(miaPage, MEMBER.email, MEMBER.password)
    await section(miaPage, 'projects')
    await section(ownerPage, 'team')
    const row = `.users-table tr[data-email="${MEMBER.email}"]`
    await ownerPage.selectOption(`${row} select.role-select`, 'viewer')
    await ownerPage.waitForFunction(
      (r) => document.querySelector<HTMLSelectElement>(`${r} select.role-select`)?.value === 'viewer',
      row,
    )
    await ownerPage.waitForFunction(() => document.querySelector('.list-panel[aria-busy]') === null)
    expect((await srv.get('/v1/users?role=viewer')).status).toBe(200)
    await miaPage.fill('#f-project-name', 'Mia Project')
    await miaPage.click('.project-form button[type=submit]')
    // The role change bumped Mia's token version: her session is gone, so she is sent to login (D9).
    await miaPage.waitForURL(/\/login\.html\?.*reason=session_expired/)
    expect(await text(miaPage, '.banner')).toBe('Your session expired.')
    await signIn(miaPage, MEMBER.email, MEMBER.password)
    expect(await text(miaPage, '.identity summary')).toBe(`${MEMBER.name} · viewer`)
    await mia.close()
  })

  it('projects: slug preview, envelope field errors, create, rename with slug warning, archive, unarchive, merge, delete (D62)', async () => {
    const page = ownerPage
    await section(page, 'projects')
    await page.fill('#f-project-name', 'Support Bots')
    expect(await text(page, '.slug-preview')).toBe('Slug: support-bots')
    await page.click('.project-form button[type=submit]')
    await page.waitForSelector('.projects-table tr[data-slug="support-bots"]')

    await page.fill('#f-project-name', 'Bad')
    await page.fill('#f-project-slug', 'bad slug!')
    await page.click('.project-form button[type=submit]')
    await page.waitForFunction(() => (document.querySelector('#f-project-slug-err')?.textContent ?? '') !== '')
    await shot(page, 'account-home-projects-field-error')
    await page.fill('#f-project-slug', 'support-bots')
    await page.click('.project-form button[type=submit]')
    await page.waitForFunction(
      () => document.querySelector('.project-form .form-error')?.textContent?.startsWith('Another project') === true,
    )

    await page.click('.projects-table tr[data-slug="support-bots"] button.edit')
    await page.fill('#f-project-slug', 'support-agents')
    expect(await page.isVisible('.slug-warning')).toBe(true)
    expect(await text(page, '.slug-warning')).toContain('"support-bots" will no longer reach')
    await page.click('.project-form button[type=submit]')
    await page.waitForSelector('.projects-table tr[data-slug="support-agents"]')

    const status = (slug: string) => text(page, `.projects-table tr[data-slug="${slug}"] td:nth-child(5)`)
    await page.click('.projects-table tr[data-slug="support-agents"] button.archive')
    await page.waitForSelector('.confirm-dialog')
    await shot(page, 'account-home-projects-confirm')
    await confirm(page)
    await page.waitForSelector('.projects-table tr[data-slug="support-agents"][data-archived="true"]')
    expect(await status('support-agents')).toBe('archived')
    await page.click('.projects-table tr[data-slug="support-agents"] button.unarchive')
    await page.waitForSelector('.projects-table tr[data-slug="support-agents"][data-archived="false"]')

    await page.fill('#f-project-name', 'Old Stuff')
    await page.click('.project-form button[type=submit]')
    await page.waitForSelector('.projects-table tr[data-slug="old-stuff"] button.merge')
    await page.click('.projects-table tr[data-slug="old-stuff"] button.merge')
    await page.selectOption('.confirm-dialog select', 'support-agents')
    await confirm(page)
    await page.waitForFunction(
      () =>
        document.querySelector('.projects-table tr[data-slug="old-stuff"] td:nth-child(5)')?.textContent ===
        'merged into support-agents',
    )

    await page.click('.projects-table tr[data-slug="support-agents"] button.delete')
    await page.selectOption('.confirm-dialog select', 'default')
    await confirm(page)
    await page.waitForSelector('.projects-table tr[data-slug="support-agents"][data-archived="true"]')
    expect(await status('support-agents')).toBe('merged into default')
    // The default project keeps its slug (cannot_modify_default) and has no archive/merge/delete.
    expect(await page.$$('.projects-table tr[data-slug="default"] button.archive')).toHaveLength(0)
    await shot(page, 'account-home-projects')
    await page.setViewportSize({ width: 390, height: 844 })
    await shot(page, 'account-home-projects-390px')
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('team: deactivate and reactivate with confirmation; keys: revoke stops ingest at once (D62)', async () => {
    const page = ownerPage
    await section(page, 'team')
    const row = `.users-table tr[data-email="${VIEWER.email}"]`
    expect(await page.$$('.users-table tr:has-text("(you)") button, .users-table tr:has-text("(you)") select')).toEqual(
      [],
    )
    await page.click(`${row} button.deactivate`)
    await confirm(page)
    await page.waitForFunction(
      (r) => document.querySelector(`${r} td:nth-child(4)`)?.textContent === 'deactivated',
      row,
    )
    await page.click(`${row} button.reactivate`)
    await page.waitForFunction((r) => document.querySelector(`${r} td:nth-child(4)`)?.textContent === 'active', row)
    await shot(page, 'account-home-team')

    // The server refuses an invite for an e-mail with an account (409 email_exists): said in words, on the form.
    await page.fill('#f-invite-email', MEMBER.email)
    await page.click('.invite-form button[type=submit]')
    await page.waitForFunction(
      () =>
        document.querySelector('.invite-form .form-error')?.textContent ===
        'This e-mail already has an account — sign in instead.',
    )

    // A pending invite can be cancelled (confirmed); its link is dead at once.
    const link = await invite(page, 'zed@acme.test', 'viewer')
    await page.click('.invites-table tr[data-email="zed@acme.test"] button.cancel-invite')
    await confirm(page)
    await page.waitForFunction(() => document.querySelector('.invites-table') === null)
    const token = new URL(link).searchParams.get('token')
    const dead = await fetch(`${srv.url}/v1/auth/accept-invite`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invite_token: token, name: 'Zed', password: 'secret-1' }),
    })
    expect(dead.status).toBe(404)

    await section(page, 'keys')
    const keyRow = `.keys-table tr[data-prefix="${createdKey.slice(0, 12)}"]`
    await page.click(`${keyRow} button.revoke`)
    await page.waitForSelector('.confirm-dialog')
    // Focus starts on Cancel (a stray Enter never confirms), Tab stays inside the dialog, Esc cancels: nothing revoked.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel')
    expect(await page.getAttribute('.confirm-dialog', 'role')).toBe('alertdialog')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.closest('.confirm-dialog') !== null)).toBe(true)
    await page.keyboard.press('Escape')
    await page.waitForSelector('.confirm-dialog', { state: 'detached' })
    expect(await page.getAttribute(keyRow, 'data-active')).toBe('true')
    await page.click(`${keyRow} button.revoke`)
    await confirm(page)
    await page.waitForSelector(`${keyRow}[data-active="false"]`)
    const ingest = await srv.post('/v1/ingest', { envelope: { agent_id: 'acme-scout' }, events: [] }, createdKey)
    expect(ingest.status).toBe(401)
    await shot(page, 'account-home-keys')

    // Revoking the key this browser stores forgets it; Open dashboard then works on the session (D64 Beyond).
    const mine = '.keys-table tr:has(.this-browser)'
    await page.click(`${mine} button.revoke`)
    await confirm(page)
    await page.waitForFunction(() => document.querySelector('.keys-table .this-browser') === null)
    expect(await page.evaluate(() => localStorage.getItem('hiveboard_api_key'))).toBeNull()
    await page.click('.open-dashboard')
    await page.waitForURL(/\/static\/index\.html/)
    await page.waitForSelector('.agent-card[data-agent-id="acme-scout"]')
    expect(await page.evaluate(() => localStorage.getItem('hiveboard_api_key'))).toBeNull()
    await section(page, 'keys')
    expect(await page.$('.keys-table .this-browser')).toBeNull()
    expect(await page.$('.keys-table tr:has-text("Dashboard (this browser)")')).toBeNull()
  })

  it('an admin gets member/viewer roles only and no controls on owners (api.md §2.4, D62)', async () => {
    await section(ownerPage, 'team')
    const vic = `.users-table tr[data-email="${VIEWER.email}"] select.role-select`
    await ownerPage.selectOption(vic, 'admin')
    await ownerPage.waitForFunction(() => document.querySelector('.list-panel[aria-busy]') === null)
    const context = await newContext()
    const page = await context.newPage()
    await signIn(page, VIEWER.email, VIEWER.password)
    await section(page, 'team')
    expect(await page.$$eval('#f-invite-role option', (os) => os.map((o) => o.getAttribute('value')))).toEqual([
      'member',
      'viewer',
    ])
    expect(
      await page.$$(
        `.users-table tr[data-email="${OWNER.email}"] select, .users-table tr[data-email="${OWNER.email}"] button`,
      ),
    ).toHaveLength(0)
    const mia = `.users-table tr[data-email="${MEMBER.email}"] select.role-select`
    expect(await page.$$eval(`${mia} option`, (os) => os.map((o) => o.getAttribute('value')))).toEqual([
      'member',
      'viewer',
    ])
    await shot(page, 'account-home-team-admin')
    await context.close()
  })

  it('while a request runs its submit is disabled and the form busy; the list shows the new row after (D58)', async () => {
    const page = ownerPage
    await section(page, 'keys')
    // Hold the real request until the page has been looked at, then let it through to the server.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    await page.route('**/v1/api-keys', async (route) => {
      if (route.request().method() === 'POST') await held
      await route.continue()
    })
    await page.fill('#f-key-label', 'Busy check')
    await page.click('.key-form button[type=submit]')
    await page.waitForSelector('.key-form[aria-busy="true"] button[type=submit]:disabled')
    await shot(page, 'account-home-keys-busy')
    release()
    await page.waitForSelector('.key-form:not([aria-busy]) button[type=submit]:enabled')
    await page.waitForSelector('.keys-table tr:has-text("Busy check")')
    await page.unroute('**/v1/api-keys')
  })

  it('settings: a wrong current password stays signed in; change password keeps the session; sign out clears it (D9, D62)', async () => {
    const page = ownerPage
    await section(page, 'settings')
    await page.waitForSelector('.pricing-form')
    await page.fill('#f-current_password', 'wrong-wrong')
    await page.fill('#f-new_password', 'hive-owner-2')
    await page.click('.password-form button[type=submit]')
    await page.waitForFunction(
      () => document.querySelector('#f-current_password-err')?.textContent === 'Current password is incorrect.',
    )
    expect(page.url()).toContain('/home.html')
    const before = await page.evaluate(() => localStorage.getItem('hb_token'))
    await page.fill('#f-current_password', OWNER.password)
    await page.click('.password-form button[type=submit]')
    await page.waitForFunction(() => document.querySelector('.done-text')?.textContent?.startsWith('Password changed'))
    const after = await page.evaluate(() => localStorage.getItem('hb_token'))
    expect(after).not.toBe(before)
    await shot(page, 'account-home-settings')

    // Pricing overrides (owner, admin): the envelope's field error, then add and remove.
    await page.fill('#f-price-model_pattern', 'Not A Pattern!')
    await page.fill('#f-price-provider', 'acme')
    await page.fill('#f-price-input_per_m', '1.5')
    await page.fill('#f-price-output_per_m', '6')
    await page.click('.pricing-form button[type=submit]')
    await page.waitForFunction(() => (document.querySelector('#f-price-model_pattern-err')?.textContent ?? '') !== '')
    await page.fill('#f-price-model_pattern', 'acme-large')
    await page.click('.pricing-form button[type=submit]')
    await page.waitForSelector('.pricing-table tr:has-text("acme-large")')
    await page.click('.pricing-table tr:has-text("acme-large") button.remove')
    await page.waitForSelector('.pricing-table', { state: 'detached' })
    await section(page, 'overview')
    await page.waitForSelector('.overview-figures')

    await page.click('.identity summary')
    await shot(page, 'account-home-identity-menu')
    await page.click('.identity .sign-out')
    await page.waitForURL(/\/login\.html/)
    expect(
      await page.evaluate(() =>
        ['hb_token', 'hb_user', 'hb_tenant', 'hb_token_exp', 'hiveboard_api_key'].map((k) => localStorage.getItem(k)),
      ),
    ).toEqual([null, null, null, null, null])
    expect(await text(page, '.banner')).toBe('You are signed out.')

    // Sign out everywhere kills the token in other browsers too.
    await signIn(page, OWNER.email, 'hive-owner-2')
    const other = await newContext()
    const otherPage = await other.newPage()
    await signIn(otherPage, OWNER.email, 'hive-owner-2')
    await page.click('.identity summary')
    await page.click('.identity .sign-out-everywhere')
    await page.waitForURL(/\/login\.html/)
    await otherPage.goto(`${srv.url}/home.html#projects`)
    await otherPage.waitForURL(/\/login\.html\?.*reason=session_expired/)
    await other.close()
  })

  it('register → key shown once → Continue signs in and lands on home with the workspace (D59 Beyond)', async () => {
    const context = await newContext()
    const page = await context.newPage()
    await page.goto(`${srv.url}/register.html`)
    await page.fill('#f-name', 'Rita Register')
    await page.fill('#f-email', 'rita@beyond.test')
    await page.fill('#f-password', 'hive-rita-1')
    await page.fill('#f-tenant_name', 'Beyond Labs')
    await page.click('button[type=submit]')
    await page.waitForSelector('.api-key')
    expect(await text(page, '.api-key')).toMatch(/^hb_live_[0-9a-f]{32}$/)
    await page.click('button.continue')
    await page.waitForURL(/\/home\.html/)
    await page.waitForSelector('.overview-figures')
    expect(await text(page, '.account-head h1')).toBe('Beyond Labs')
    expect(await text(page, '.identity summary')).toBe('Rita Register · owner')
    const stored = await page.evaluate(() =>
      [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => s.getItem(k) ?? '')),
    )
    expect(stored.some((v) => v.includes('hive-rita-1'))).toBe(false)
    await context.close()
  })

  it('an invalid or an expired invite token shows a clear error (D61)', async () => {
    const context = await newContext()
    const bogus = await accept(context, `${srv.url}/accept-invite.html?token=not-a-real-token`, 'X', 'secret-1')
    await bogus.waitForFunction((t) => document.querySelector('.error-text')?.textContent === t, INVALID_INVITE)
    expect(await text(bogus, '.dead-end')).toContain('Ask whoever invited you for a new link')
    expect(await bogus.isVisible('button[type=submit]')).toBe(false)
    await shot(bogus, 'account-accept-invite-invalid')

    // Expiry needs time to pass: a second server on a manual clock, 8 days after the 7-day invite was made.
    const clock = new ManualClock(Date.now())
    const aged = await startTestServer({ config: { dashboard_dir: DIST }, clock })
    try {
      const res = await aged.post('/v1/auth/invite', { email: 'late@acme.test', role: 'member' })
      expect(res.status).toBe(201)
      const { invite_token } = (await res.json()) as { invite_token: string }
      clock.advance(8 * 24 * 3600 * 1000)
      const page = await accept(context, `${aged.url}/accept-invite.html?token=${invite_token}`, 'Late', 'secret-1')
      await page.waitForFunction((t) => document.querySelector('.error-text')?.textContent === t, INVALID_INVITE)
      await shot(page, 'account-accept-invite-expired')
    } finally {
      await context.close()
      await aged.close()
    }
  })
})
