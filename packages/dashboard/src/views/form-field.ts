/** A labelled form field with its own error line (D58: server field errors shown on their fields). */
import { h } from '../lib/h.js'

export interface FieldBox {
  dom: HTMLElement
  input: HTMLInputElement | HTMLSelectElement
  error: HTMLElement
}

let uid = 0

/** A page-unique id for inputs and their labels. */
export function nextFieldId(): string {
  return `rf-${++uid}`
}

export function field(
  path: string,
  label: string,
  input: HTMLInputElement | HTMLSelectElement,
  hint?: string,
): FieldBox {
  const id = nextFieldId()
  input.id = id
  input.dataset.field = path
  const error = h('span', { class: 'field-error', id: `${id}-err`, role: 'alert' })
  input.setAttribute('aria-describedby', `${id}-err`)
  const dom = h(
    'div',
    { class: 'field', 'data-field': path },
    h('label', { for: id }, label, hint === undefined ? null : h('span', { class: 'muted' }, ` (${hint})`)),
    input,
    error,
  )
  return { dom, input, error }
}

export function select(options: [string, string][], value: string): HTMLSelectElement {
  const s = h('select', null, ...options.map(([v, label]) => h('option', { value: v }, label)))
  s.value = value
  return s
}
