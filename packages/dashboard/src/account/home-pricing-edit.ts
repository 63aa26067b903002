/**
 * In-place edit of one pricing override (D58, D62 `#settings`, api.md §4.9): an inline form under the row with the
 * provider and both prices. Enter saves (`PUT /v1/admin/pricing/{pattern}`), Esc cancels and gives focus back to
 * the row's Edit button. One editor at a time, so its field ids stay unique on the page.
 */
import { field, type Field } from './form.js'
import { type HomeContext, type PricingEntry, formError, listPanel, row, submitButton, table, wire } from './home-ui.js'
import { ApiError } from '../lib/api.js'
import { h, type Child } from '../lib/h.js'

const COLUMNS = 5

/** An empty number field is sent as null, so the server answers "required" on that field rather than 0. */
export function priceValue(f: Field): number | null {
  return f.input.value.trim() === '' ? null : Number(f.input.value)
}

export const PRICE_HEADERS = ['Pattern', 'Provider', 'In $/1M', 'Out $/1M', 'Actions']

/** The cells both price tables share, before the actions. */
export function priceCells(x: PricingEntry): Child[] {
  return [h('span', { class: 'mono' }, x.model_pattern), x.provider, String(x.input_per_m), String(x.output_per_m)]
}

/**
 * Built-in prices without an override, folded away under the overrides (most users only look at their own). Override
 * opens the same editor pre-filled; saving PUTs, and the pattern then shows in the overrides table (api.md §4.9).
 */
export function builtinPrices(
  ctx: HomeContext,
  editor: PricingEditor,
): { dom: HTMLElement; reload: () => Promise<void> } {
  const panel = listPanel(async () => {
    const r = await ctx.api.get<{ data: PricingEntry[] }>('/v1/admin/pricing')
    const shadowed = new Set(r.data.filter((x) => x.source === 'override').map((x) => x.model_pattern))
    const rows = r.data
      .filter((x) => x.source === 'default' && !shadowed.has(x.model_pattern))
      .map((x) => {
        const override = h('button', { type: 'button', class: 'override', 'aria-expanded': 'false' }, 'Override')
        const entryRow = row([...priceCells(x), override], { 'data-pattern': x.model_pattern })
        override.addEventListener('click', () => editor.open(x, entryRow, override))
        return entryRow
      })
    return [table(PRICE_HEADERS, rows, 'builtin-pricing-table')]
  })
  const dom = h('details', { class: 'builtin-pricing' }, h('summary', null, 'Built-in prices'), panel.dom)
  return { dom, reload: panel.reload }
}

export interface PricingEditor {
  /** Opens the form under `row`, closing any other one first. */
  open(entry: PricingEntry, row: HTMLElement, edit: HTMLButtonElement): void
}

/**
 * `line` is the section's alert line: a 404 (the override was removed meanwhile by someone else) is said there,
 * because the list reloads and the form goes away. `reload` redraws the list after a save.
 */
export function pricingEditor(ctx: HomeContext, line: HTMLElement, reload: () => Promise<void>): PricingEditor {
  let close: (() => void) | null = null

  const open = (entry: PricingEntry, row: HTMLElement, edit: HTMLButtonElement): void => {
    close?.()
    const provider = field('provider', 'Provider', 'text', { maxlength: '50' }, 'price-edit-')
    const input = field('input_per_m', 'Input $ / 1M tokens', 'number', { min: '0', step: 'any' }, 'price-edit-')
    const output = field('output_per_m', 'Output $ / 1M tokens', 'number', { min: '0', step: 'any' }, 'price-edit-')
    provider.input.value = entry.provider
    input.input.value = String(entry.input_per_m)
    output.input.value = String(entry.output_per_m)
    const save = submitButton('Save')
    const cancel = h('button', { type: 'button', class: 'cancel' }, 'Cancel')
    const error = formError()
    const form = h(
      'form',
      { class: 'inline-form pricing-edit', novalidate: true, 'aria-label': `Edit pricing for ${entry.model_pattern}` },
      provider.dom,
      input.dom,
      output.dom,
      error,
      h('div', { class: 'row-actions' }, save, cancel),
    )
    const editRow = h('tr', { class: 'pricing-edit-row' }, h('td', { colspan: String(COLUMNS) }, form))
    const finish = (): void => {
      editRow.remove()
      edit.setAttribute('aria-expanded', 'false')
      close = null
    }
    const cancelEdit = (): void => {
      finish()
      edit.focus()
    }
    cancel.addEventListener('click', cancelEdit)
    form.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Escape') return
      ev.preventDefault()
      cancelEdit()
    })
    wire(form, save, [provider, input, output], error, async () => {
      line.textContent = ''
      const path = `/v1/admin/pricing/${encodeURIComponent(entry.model_pattern)}`
      const body = {
        provider: provider.input.value.trim(),
        input_per_m: priceValue(input),
        output_per_m: priceValue(output),
      }
      try {
        await ctx.api.request(path, {}, { method: 'PUT', body })
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e
        line.textContent = `The override for ${entry.model_pattern} was removed meanwhile by someone else.`
      }
      finish()
      await reload()
      // The list was redrawn: keep the keyboard where the user was, on the row's (new) Edit button.
      const pattern = CSS.escape(entry.model_pattern)
      document.querySelector<HTMLButtonElement>(`.pricing-table tr[data-pattern="${pattern}"] button.edit`)?.focus()
    })
    row.after(editRow)
    edit.setAttribute('aria-expanded', 'true')
    close = finish
    provider.input.focus()
  }
  return { open }
}
