/** Small form helpers for the account pages (D58): field errors, pending submit, copy buttons. */
import { formFieldName } from './session.js'
import { ApiError } from '../lib/api.js'
import { h } from '../lib/h.js'

export interface Field {
  name: string
  input: HTMLInputElement
  error: HTMLElement
  dom: HTMLElement
}

/** Ids are `f-<prefix><name>` so two forms on one page (home) never share an id. */
export function field(
  name: string,
  label: string,
  type = 'text',
  attrs: Record<string, string> = {},
  idPrefix = '',
): Field {
  const id = `f-${idPrefix}${name}`
  const input = h('input', { id, name, type, 'aria-describedby': `${id}-err`, ...attrs })
  const error = h('p', { id: `${id}-err`, class: 'field-error', role: 'alert' })
  return { name, input, error, dom: h('div', { class: 'field' }, h('label', { for: id }, label), input, error) }
}

export interface SelectField {
  name: string
  input: HTMLSelectElement
  error: HTMLElement
  dom: HTMLElement
}

export function selectField(
  name: string,
  label: string,
  options: readonly (readonly [string, string])[],
  idPrefix = '',
): SelectField {
  const id = `f-${idPrefix}${name}`
  const input = h(
    'select',
    { id, name, 'aria-describedby': `${id}-err` },
    ...options.map(([value, text]) => h('option', { value }, text)),
  )
  const error = h('p', { id: `${id}-err`, class: 'field-error', role: 'alert' })
  return { name, input, error, dom: h('div', { class: 'field' }, h('label', { for: id }, label), input, error) }
}

/**
 * Puts `details.fields` messages on their fields (`body.email` → the `email` field, api.md §1.3) and marks them
 * `aria-invalid`; returns whether any matched, so the caller shows the envelope's message otherwise.
 */
export function showFieldErrors(fields: readonly (Field | SelectField)[], e: unknown): boolean {
  for (const f of fields) {
    f.error.textContent = ''
    f.input.removeAttribute('aria-invalid')
  }
  if (!(e instanceof ApiError) || e.details === null) return false
  const list = (e.details as { fields?: { field?: unknown; message?: unknown }[] }).fields ?? []
  let matched = false
  for (const item of list) {
    if (typeof item.field !== 'string' || typeof item.message !== 'string') continue
    const f = fields.find((x) => x.name === formFieldName(item.field as string))
    if (f !== undefined) {
      f.error.textContent = item.message
      f.input.setAttribute('aria-invalid', 'true')
      matched = true
    }
  }
  return matched
}

export function copyButton(text: () => string, label = 'Copy'): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'copy' }, label)
  b.addEventListener('click', () => {
    void navigator.clipboard?.writeText(text()).then(
      () => {
        b.textContent = 'Copied'
      },
      () => {
        // Clipboard refused (permissions, insecure origin): the text stays selectable on the page.
        b.textContent = 'Select and copy the text'
      },
    )
  })
  return b
}

/** Disables the button (and marks the form busy) while the request runs (D58). */
export async function pending<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true
  const form = button.form
  form?.setAttribute('aria-busy', 'true')
  try {
    return await work()
  } finally {
    button.disabled = false
    form?.removeAttribute('aria-busy')
  }
}

export function page(root: HTMLElement, ...children: HTMLElement[]): void {
  root.replaceChildren(...children)
  root.removeAttribute('aria-busy')
}
