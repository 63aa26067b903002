/**
 * The one modal shell (D40 dialogs, D58 confirm): the dialog over a backdrop, focus moved in and trapped (Tab and
 * Shift+Tab wrap), Esc or a click on the backdrop cancels, focus returns to the opener on close.
 */
import { h } from './h.js'

const FOCUSABLE = [
  'button:not([disabled])',
  'select:not([disabled])',
  'input:not([disabled])',
  'textarea:not([disabled])',
  '[href]',
  '[tabindex="0"]',
].join(', ')

function wrapTab(dialog: HTMLElement, ev: KeyboardEvent): void {
  const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)]
  const first = focusable[0]
  const last = focusable[focusable.length - 1]
  if (ev.shiftKey && document.activeElement === first) {
    ev.preventDefault()
    last?.focus()
  } else if (!ev.shiftKey && document.activeElement === last) {
    ev.preventDefault()
    first?.focus()
  }
}

/** Shows `dialog`; `onCancel` runs on Esc or a backdrop click. Returns `close` (idempotent). */
export function showModal(dialog: HTMLElement, initialFocus: HTMLElement, onCancel: () => void): () => void {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
  const backdrop = h('div', { class: 'backdrop' }, dialog)
  let open = true
  backdrop.addEventListener('click', (ev) => {
    if (ev.target === backdrop) onCancel()
  })
  dialog.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') {
      ev.stopPropagation()
      onCancel()
    } else if (ev.key === 'Tab') wrapTab(dialog, ev)
  })
  document.body.append(backdrop)
  initialFocus.focus()
  return () => {
    if (!open) return
    open = false
    backdrop.remove()
    opener?.focus()
  }
}
