/**
 * The one accessible confirm modal of the account pages (D58): `role=alertdialog`, labelled and described, focus
 * moved in and trapped, Esc or the backdrop cancels, focus returns to the opener. Resolves true on confirm.
 */
import { h } from '../lib/h.js'

export interface ConfirmOptions {
  title: string
  text: string
  confirmLabel: string
  /** Extra controls (a merge target, a reassign select), read by the caller after a true answer. */
  extra?: HTMLElement[]
  danger?: boolean
}

let seq = 0

export function confirmDialog(o: ConfirmOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
  const id = `confirm-${++seq}`
  const ok = h('button', { type: 'button', class: o.danger === true ? 'danger' : 'primary' }, o.confirmLabel)
  const cancel = h('button', { type: 'button' }, 'Cancel')
  const dialog = h(
    'div',
    {
      class: 'dialog confirm-dialog',
      role: 'alertdialog',
      'aria-modal': 'true',
      'aria-labelledby': `${id}-title`,
      'aria-describedby': `${id}-text`,
    },
    h('h2', { id: `${id}-title` }, o.title),
    h('p', { id: `${id}-text` }, o.text),
    ...(o.extra ?? []),
    h('div', { class: 'dialog-actions' }, cancel, ok),
  )
  const backdrop = h('div', { class: 'backdrop' }, dialog)
  return new Promise<boolean>((resolve) => {
    const done = (answer: boolean) => {
      backdrop.remove()
      opener?.focus()
      resolve(answer)
    }
    ok.addEventListener('click', () => done(true))
    cancel.addEventListener('click', () => done(false))
    backdrop.addEventListener('click', (ev) => {
      if (ev.target === backdrop) done(false)
    })
    dialog.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation()
        done(false)
      } else if (ev.key === 'Tab') {
        const focusable = [...dialog.querySelectorAll<HTMLElement>('button, select, input, [href]')]
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
    })
    document.body.append(backdrop)
    // Cancel first: a stray Enter never confirms a destructive action.
    cancel.focus()
  })
}
