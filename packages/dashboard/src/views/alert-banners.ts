/**
 * Alert banners on every view (D50, D52), the `alert.fired` toast and its screen-reader announcement.
 * Open = not dismissed in this browser, under 24 h old, not resolved / visibly recovered (store/alerts.ts).
 */
import { alertSentence, loopWords } from '../lib/alert-words.js'
import { Disposables, h, setText, type Panel } from '../lib/h.js'
import { openAlerts, recentLoops, type AlertRecord } from '../store/alerts.js'
import type { State } from '../store/state.js'

export interface AlertBannerDeps {
  now: () => number
  view: () => void
  dismiss: (alertIds: string[]) => void
  openTask: (id: string) => void
  openAgent: (id: string) => void
}

const TOAST_MS = 8000

export function createAlertBanners(deps: AlertBannerDeps): Panel<State> {
  const bag = new Disposables()
  // Open alerts: count + the two newest in words, View and Dismiss.
  const count = h('strong', { class: 'alert-count' })
  const newest = h('ul', { class: 'alert-newest' })
  const view = h('button', { type: 'button', class: 'link alert-view' }, 'View')
  const dismiss = h('button', { type: 'button', class: 'link alert-dismiss' }, 'Dismiss')
  const open = h(
    'div',
    { class: 'banner alert-banner', role: 'region', 'aria-label': 'Open alerts' },
    '⚠ ',
    count,
    newest,
    view,
    ' · ',
    dismiss,
  )
  let shownIds: string[] = []
  view.addEventListener('click', deps.view)
  dismiss.addEventListener('click', () => deps.dismiss(shownIds))

  // D52: loops of the last 15 min, linking the task.
  const loopText = h('span', { class: 'loop-text' })
  const loopTask = h('button', { type: 'button', class: 'link loop-task' })
  const loopDismiss = h('button', { type: 'button', class: 'link loop-dismiss' }, 'Dismiss')
  const loop = h(
    'div',
    { class: 'banner loop-banner', role: 'region', 'aria-label': 'Loop detected' },
    '↻ ',
    loopText,
    ' ',
    loopTask,
    ' · ',
    loopDismiss,
  )
  let loopIds: string[] = []
  let loopTaskId: string | null = null
  loopTask.addEventListener('click', () => loopTaskId !== null && deps.openTask(loopTaskId))
  loopDismiss.addEventListener('click', () => deps.dismiss(loopIds))

  // Toasts for `alert.fired`, and one assertive live region announcing them (D50).
  const toasts = h('div', { class: 'toasts' })
  const announcer = h('div', { class: 'sr-only alert-announcer', 'aria-live': 'assertive', role: 'status' })
  const toasted = new Set<string>()
  const toast = (r: AlertRecord) => {
    const close = h('button', { type: 'button', class: 'link', 'aria-label': 'Close' }, '×')
    const el = h('div', { class: 'toast', 'data-alert-id': r.alert_id }, alertSentence(r), ' ', close)
    close.addEventListener('click', () => el.remove())
    toasts.prepend(el)
    while (toasts.children.length > 3) toasts.lastElementChild?.remove()
    const t = setTimeout(() => el.remove(), TOAST_MS)
    bag.add(() => clearTimeout(t))
    setText(announcer, `Alert fired: ${alertSentence(r)}`)
  }

  const dom = h('div', { class: 'alert-banners' }, open, loop, toasts, announcer)
  let lastLive: AlertRecord[] | null = null
  return {
    dom,
    update(state) {
      const now = deps.now()
      const list = openAlerts(state.alerts, now, state.agents.data)
      shownIds = list.map((r) => r.alert_id)
      open.hidden = list.length === 0
      setText(count, list.length === 1 ? '1 open alert' : `${list.length} open alerts`)
      const top = list.slice(0, 2).map(alertSentence)
      if (newest.children.length !== top.length) newest.replaceChildren(...top.map(() => h('li')))
      top.forEach((t, i) => setText(newest.children[i] as HTMLElement, t))

      const loops = recentLoops(state.alerts, now)
      loopIds = loops.map((r) => r.alert_id)
      loop.hidden = loops.length === 0
      const first = loops[0]
      if (first !== undefined) {
        setText(loopText, loops.length > 1 ? `${loopWords(first)} (+${loops.length - 1} more)` : loopWords(first))
        loopTaskId = first.related_task_id
        setText(loopTask, loopTaskId === null ? '' : `task ${loopTaskId}`)
        loopTask.hidden = loopTaskId === null
      }

      if (state.alerts.live !== lastLive) {
        lastLive = state.alerts.live
        // Oldest first so the newest toast ends on top.
        for (const r of [...state.alerts.live].reverse()) {
          if (toasted.has(r.alert_id)) continue
          toasted.add(r.alert_id)
          toast(r)
        }
      }
    },
    destroy() {
      bag.dispose()
    },
  }
}
