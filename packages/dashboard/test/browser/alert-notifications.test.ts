/**
 * D50 Beyond: opt-in desktop notifications for live `alert.fired`, in chromium against a real server with the real
 * WebSocket broadcaster. `window.Notification` is replaced by an init script that records what the page constructs
 * (title, body, tag) so the words can be asserted; `document.visibilityState` is made switchable because the
 * dashboard notifies only while its tab is in the background.
 */
import type { TestServer } from '@hiveboard/server/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ev, ingest } from '../fixtures.js'
import { browserAvailable, ensureBuilt, launch, startLiveServer } from './harness.js'

const run = browserAvailable()

interface Shown {
  title: string
  body: string
  tag: string
}

interface Probe {
  __shown: Shown[]
  __clickLast: () => void
  __visibility: DocumentVisibilityState
  __asked: number
}

/** The stub's permission lives in localStorage so that, like the browser's, it survives a reload. */
const PERMISSION_KEY = 'test_notification_permission'

/** Runs in the page before its scripts: a recording Notification and a switchable visibility. */
function installNotificationStub(): void {
  const w = window as unknown as Probe & { Notification: unknown }
  w.__shown = []
  w.__asked = 0
  w.__visibility = 'visible'
  Object.defineProperty(document, 'visibilityState', { get: () => w.__visibility })
  const made: EventTarget[] = []
  class RecordingNotification extends EventTarget {
    static get permission(): NotificationPermission {
      return (localStorage.getItem('test_notification_permission') as NotificationPermission | null) ?? 'default'
    }
    static requestPermission(): Promise<NotificationPermission> {
      w.__asked += 1
      localStorage.setItem('test_notification_permission', 'granted')
      return Promise.resolve<NotificationPermission>('granted')
    }
    constructor(title: string, options: { body: string; tag: string }) {
      super()
      w.__shown.push({ title, body: options.body, tag: options.tag })
      made.push(this)
    }
    close(): void {}
  }
  w.Notification = RecordingNotification
  w.__clickLast = () => made.at(-1)?.dispatchEvent(new Event('click'))
}

describe.runIf(run)('desktop notifications for alerts (D50 Beyond)', () => {
  let srv: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const problems: string[] = []

  /** Runs `fn` in the page with `window` seen as the stub's probe (as playwright serialises any function). */
  const probe = <T>(fn: (w: Probe) => T): Promise<T> => page.evaluate<T>(`(${fn.toString()})(window)`)

  /** One failed task on its own agent: a `task_failed` rule (cooldown 0) fires `alert.fired` for it. */
  async function failTask(agent: string, task: string): Promise<void> {
    // Each case looks only at the notifications its own alert produced.
    await probe((w) => (w.__shown = []))
    const now = Date.now()
    await ingest(srv, agent, [
      ev('task_started', now - 2000, { task_id: task }),
      ev('task_failed', now - 1000, {
        task_id: task,
        payload: { summary: 'boom', data: { exception_type: 'ValueError', exception_message: 'bad input' } },
      }),
    ])
    await page.locator('.toast', { hasText: `${agent} failed ${task}` }).waitFor({ timeout: 10_000 })
  }

  beforeAll(async () => {
    ensureBuilt()
    srv = await startLiveServer()
    const res = await srv.post('/v1/alerts/rules', {
      name: 'Failures',
      condition_type: 'task_failed',
      cooldown_seconds: 0,
    })
    expect(res.status).toBe(201)
    await ingest(srv, 'worker-1', [ev('agent_registered', Date.now() - 60_000)])
    browser = await launch()
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await context.addInitScript(installNotificationStub)
    page = await context.newPage()
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    await page.goto(`${srv.url}/static/index.html?apiKey=${srv.keys.live}&view=alerts`)
    await page.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live')
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await srv?.close()
  })

  it('is off by default: a background alert toasts but shows no desktop notification', async () => {
    expect(await page.isChecked('.notify-toggle')).toBe(false)
    expect(await page.textContent('.notify-state')).toBe('off')
    await probe((w) => (w.__visibility = 'hidden'))
    await failTask('worker-1', 'task-off')
    expect(await probe((w) => w.__shown)).toEqual([])
    expect(await probe((w) => w.__asked)).toBe(0)
  })

  it('opting in asks permission once; a background alert then shows one notification in words', async () => {
    await probe((w) => (w.__visibility = 'visible'))
    await page.check('.notify-toggle')
    await page.waitForFunction(() => document.querySelector('.notify-state')?.textContent?.startsWith('on') === true)
    expect(await probe((w) => w.__asked)).toBe(1)
    expect(await page.evaluate(() => localStorage.getItem('hb_alert_notifications'))).toBe('on')

    await probe((w) => (w.__visibility = 'hidden'))
    await failTask('worker-1', 'task-on')
    const shown = await probe((w) => w.__shown)
    expect(shown).toHaveLength(1)
    expect(shown[0]?.title).toBe('Failures: worker-1 failed task-on — ValueError: bad input')
    expect(shown[0]?.body).toBe('agent worker-1 · task task-on')
    const history = await page.evaluate(async (key) => {
      const r = await fetch('/v1/alerts/history?limit=1', { headers: { authorization: `Bearer ${key}` } })
      return ((await r.json()) as { data: { alert_id: string }[] }).data[0]?.alert_id
    }, srv.keys.live)
    expect(shown[0]?.tag).toBe(history)
  })

  it('clicking the notification opens the alert task', async () => {
    await probe((w) => w.__clickLast())
    await page.waitForURL(/task=task-on/)
    await page.waitForSelector('.timeline-view')
    expect(new URL(page.url()).searchParams.get('task')).toBe('task-on')
  })

  const openAlerts = async (p: Page) => {
    await p.goto(`${srv.url}/static/index.html?apiKey=${srv.keys.live}&view=alerts`)
    await p.waitForFunction(() => document.querySelector('.pill')?.textContent === 'Live')
  }

  it('the choice is kept after a reload; while the tab is visible only the toast shows', async () => {
    await openAlerts(page)
    expect(await page.isChecked('.notify-toggle')).toBe(true)
    expect(await probe((w) => w.__visibility)).toBe('visible')
    await failTask('worker-1', 'task-visible')
    expect(await probe((w) => w.__shown)).toEqual([])
  })

  it('turning it off stops the notifications', async () => {
    await page.uncheck('.notify-toggle')
    await page.waitForFunction(() => document.querySelector('.notify-state')?.textContent === 'off')
    await probe((w) => (w.__visibility = 'hidden'))
    await failTask('worker-1', 'task-off-again')
    expect(await probe((w) => w.__shown)).toEqual([])
  })

  it("says blocked when the browser's permission is denied, and notifies nothing", async () => {
    await page.evaluate((key) => localStorage.setItem(key, 'denied'), PERMISSION_KEY)
    await page.evaluate(() => localStorage.setItem('hb_alert_notifications', 'on'))
    await openAlerts(page)
    expect(await page.textContent('.notify-state')).toBe("blocked in the browser's settings")
    expect(await page.isDisabled('.notify-toggle')).toBe(true)
    // Unblocked in the browser's settings meanwhile: coming back to the window shows it.
    await page.evaluate((key) => localStorage.setItem(key, 'granted'), PERMISSION_KEY)
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    expect(await page.textContent('.notify-state')).toBe('on — shown while this tab is in the background')
    await page.evaluate((key) => localStorage.setItem(key, 'denied'), PERMISSION_KEY)
    await page.evaluate(() => window.dispatchEvent(new Event('focus')))
    expect(await page.textContent('.notify-state')).toBe("blocked in the browser's settings")
    await probe((w) => (w.__visibility = 'hidden'))
    await failTask('worker-1', 'task-denied')
    expect(await probe((w) => w.__shown)).toEqual([])
    expect(problems).toEqual([])
  })

  it('says not supported when the browser has no Notification, and alerts still toast', async () => {
    const bare = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    await bare.addInitScript(() => {
      localStorage.setItem('hb_alert_notifications', 'on')
      delete (window as { Notification?: unknown }).Notification
    })
    const other = await bare.newPage()
    const errors: string[] = []
    other.on('pageerror', (e) => errors.push(e.message))
    await openAlerts(other)
    expect(await other.textContent('.notify-state')).toBe('not supported by this browser')
    expect(await other.isDisabled('.notify-toggle')).toBe(true)
    const now = Date.now()
    await ingest(srv, 'worker-2', [
      ev('task_started', now - 2000, { task_id: 'task-bare' }),
      ev('task_failed', now - 1000, { task_id: 'task-bare' }),
    ])
    await other.locator('.toast', { hasText: 'worker-2 failed task-bare' }).waitFor({ timeout: 10_000 })
    expect(errors).toEqual([])
    await bare.close()
  })
})
