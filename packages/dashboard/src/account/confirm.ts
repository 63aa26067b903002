/**
 * The one accessible confirm modal of the account pages (D58): `role=alertdialog`, labelled and described, focus
 * moved in and trapped, Esc or the backdrop cancels, focus returns to the opener. Resolves true on confirm.
 */
import { h } from '../lib/h.js'
import { showModal } from '../lib/modal-shell.js'

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
  return new Promise<boolean>((resolve) => {
    // Cancel first: a stray Enter never confirms a destructive action.
    const close = showModal(dialog, cancel, () => done(false))
    const done = (answer: boolean) => {
      close()
      resolve(answer)
    }
    ok.addEventListener('click', () => done(true))
    cancel.addEventListener('click', () => done(false))
  })
}
