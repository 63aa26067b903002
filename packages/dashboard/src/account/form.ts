/** Small form helpers for the account pages (D58): field errors, pending submit, copy buttons. */
import { ApiError } from '../lib/api.js'
import { h } from '../lib/h.js'

export interface Field {
  name: string
  input: HTMLInputElement
  error: HTMLElement
  dom: HTMLElement
}

export function field(name: string, label: string, type = 'text', attrs: Record<string, string> = {}): Field {
  const id = `f-${name}`
  const input = h('input', { id, name, type, 'aria-describedby': `${id}-err`, ...attrs })
  const error = h('p', { id: `${id}-err`, class: 'field-error', role: 'alert' })
  return { name, input, error, dom: h('div', { class: 'field' }, h('label', { for: id }, label), input, error) }
}

/** Puts `details.fields` messages on their fields; returns whether any matched. */
export function showFieldErrors(fields: Field[], e: unknown): boolean {
  for (const f of fields) f.error.textContent = ''
  if (!(e instanceof ApiError) || e.details === null) return false
  const list = (e.details as { fields?: { field?: string; message?: string }[] }).fields ?? []
  let matched = false
  for (const item of list) {
    const f = fields.find((x) => x.name === item.field)
    if (f !== undefined && typeof item.message === 'string') {
      f.error.textContent = item.message
      matched = true
    }
  }
  return matched
}

export function copyButton(text: () => string, label = 'Copy'): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'copy' }, label)
  b.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text()).then(() => {
      b.textContent = 'Copied'
    })
  })
  return b
}

export async function pending<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true
  try {
    return await work()
  } finally {
    button.disabled = false
  }
}

export function page(root: HTMLElement, ...children: HTMLElement[]): void {
  root.replaceChildren(...children)
  root.removeAttribute('aria-busy')
}
