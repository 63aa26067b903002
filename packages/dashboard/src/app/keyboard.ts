/** Keyboard basics (dashboard.md D66); inactive while typing. */
import type { UrlState, View } from '../lib/url.js'
import type { Store } from '../store/store.js'
import { h } from '../lib/h.js'
import { openDialog } from '../views/modal.js'

export interface KeyboardDeps {
  store: Store
  navigate: (patch: Partial<UrlState>, push: boolean) => void
  go: (view: View) => void
}

const G_VIEWS: Record<string, View> = { m: 'mission', c: 'cost', p: 'pipeline', a: 'alerts' }

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return el !== null && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

function moveIn(list: HTMLElement[], delta: number): void {
  if (list.length === 0) return
  const i = list.indexOf(document.activeElement as HTMLElement)
  const next = list[Math.min(list.length - 1, Math.max(0, i + delta))]
  next?.focus()
}

export function installKeyboard(deps: KeyboardDeps): void {
  let gPending = false
  document.addEventListener('keydown', (ev) => {
    if (typing(ev.target) || ev.metaKey || ev.ctrlKey || ev.altKey) return
    if (document.querySelector('.backdrop') !== null) return
    const url = deps.store.state.url
    if (gPending) {
      gPending = false
      const view = G_VIEWS[ev.key]
      if (view !== undefined) deps.go(view)
      return
    }
    switch (ev.key) {
      case 'g':
        gPending = true
        return
      case 'Escape':
        if (url.agent !== null || url.status !== null) deps.navigate({ agent: null, status: null }, false)
        else if (url.view === 'task' || url.view === 'agent') deps.go('mission')
        return
      case 't':
        if (url.view === 'task') deps.navigate({ mode: url.mode === 'tree' ? 'flat' : 'tree' }, false)
        return
      case '/':
        ev.preventDefault()
        document.querySelector<HTMLElement>('.chips .chip[aria-pressed=true]')?.focus()
        return
      case 'j':
      case 'k': {
        const container = (document.activeElement as HTMLElement | null)?.closest(
          '.hive-list, .task-table, .stream-list',
        )
        const list = container === null || container === undefined ? document.querySelector('.hive-list') : container
        if (list === null) return
        const items = [...list.querySelectorAll<HTMLElement>('.agent-card, .task-row, .ev')]
        moveIn(items, ev.key === 'j' ? 1 : -1)
        return
      }
      case '?':
        openDialog('Keyboard', [
          h(
            'ul',
            null,
            ...[
              '/ — stream filter',
              'j / k — move in the focused list',
              'Enter — open (Shift+Enter on a card: agent detail)',
              'Esc — close dialog, clear filters, leave task or agent view',
              'g then m / c / p / a — Mission Control, Costs, Pipeline, Alerts',
              't — tree / flat',
            ].map((x) => h('li', null, x)),
          ),
        ])
        return
      default:
        return
    }
  })
}
