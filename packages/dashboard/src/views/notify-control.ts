/** D50 Beyond: the Alerts view's opt-in checkbox for desktop notifications, with the state in words. */
import type { DesktopNotifier, NotifyState } from '../app/desktop-notifier.js'
import { h, setText } from '../lib/h.js'

const STATE_WORDS: Record<NotifyState, string> = {
  unsupported: 'not supported by this browser',
  blocked: "blocked in the browser's settings",
  on: 'on — shown while this tab is in the background',
  off: 'off',
}

export function createNotifyControl(notifier: Pick<DesktopNotifier, 'state' | 'setEnabled'>): HTMLElement {
  const box = h('input', { type: 'checkbox', class: 'notify-toggle', 'aria-describedby': 'notify-state' })
  const words = h('span', { class: 'muted notify-state', id: 'notify-state', 'aria-live': 'polite' })
  const show = (state: NotifyState) => {
    box.checked = state === 'on'
    // Nothing to switch when the browser cannot notify or the user blocked it in its settings.
    box.disabled = state === 'unsupported' || state === 'blocked'
    setText(words, STATE_WORDS[state])
  }
  let asking = false
  box.addEventListener('change', () => {
    box.disabled = true
    asking = true
    void notifier.setEnabled(box.checked).then((state) => {
      asking = false
      show(state)
    })
  })
  show(notifier.state())
  // The permission can change in the browser's settings meanwhile: re-read it when the user comes back.
  // (Not while asking: closing the permission prompt focuses the window before the answer is kept.)
  window.addEventListener('focus', () => {
    if (!asking) show(notifier.state())
  })
  return h('p', { class: 'notify-control' }, h('label', null, box, ' Desktop notifications'), ': ', words)
}
