/**
 * LLM call rows (D44 recent calls) and the D43 row drill-down: a breakdown row (model, agent, project, task) opens
 * `/v1/llm-calls?<filter>=X&since=&limit=20` under it, with Load more. The toggle is a button (`aria-expanded`),
 * so it works from the keyboard; a click anywhere else on the row does the same.
 */
import type { WireEvent } from '@hiveboard/shared'
import type { Query } from '../lib/api.js'
import { clockTime, formatCost, formatDuration, formatNumber, formatTokens, modelTag } from '../lib/format.js'
import { h } from '../lib/h.js'
import { openLlmModal } from './modal.js'

export interface LlmCall {
  event_id: string
  agent_id: string
  task_id: string | null
  timestamp: string
  name: string
  model: string
  tokens_in: number
  tokens_out: number
  cost: number | null
  cost_source: string | null
  duration_ms: number | null
}

export interface CallsPage {
  data: LlmCall[]
  pagination: { cursor: string | null; has_more: boolean }
  totals: { cost: number; call_count: number }
}

export interface DrillDeps {
  /** `/v1/llm-calls` with the given query. */
  fetchCalls: (query: Query) => Promise<CallsPage>
  /** The selected range's start on server time (D11). */
  since: () => string
}

export const CALL_COLUMNS = ['Time', 'Agent', 'Name', 'Model', 'Tokens', 'Cost', 'Duration']

/** One call: click or Enter opens the LLM modal (D40). Token bar relative to `maxIn` (§17 #20). */
export function callRow(c: LlmCall, maxIn: number): HTMLTableRowElement {
  const bar = h('span', { class: 'share-bar' })
  bar.style.width = `${Math.round((c.tokens_in / Math.max(1, maxIn)) * 100)}%`
  const tr = h(
    'tr',
    { class: 'call-row', tabindex: 0 },
    h('td', null, clockTime(c.timestamp)),
    h('td', null, c.agent_id),
    h('td', null, c.name),
    h('td', null, h('span', { class: 'model-badge' }, modelTag(c.model))),
    h('td', null, `${formatTokens(c.tokens_in)}→${formatTokens(c.tokens_out)}`, h('span', { class: 'share' }, bar)),
    h('td', { 'data-csv': c.cost ?? '' }, formatCost(c.cost, 'table', c.cost_source === 'estimated')),
    h('td', { 'data-csv': c.duration_ms ?? '' }, formatDuration(c.duration_ms)),
  )
  const open = () =>
    openLlmModal({
      event_id: c.event_id,
      agent_id: c.agent_id,
      task_id: c.task_id,
      payload: { kind: 'llm_call', data: { ...c } },
    } as unknown as WireEvent)
  tr.addEventListener('click', open)
  tr.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return
    // Without this the same Enter activates the dialog's Close button, just focused, and the modal shuts at once.
    ev.preventDefault()
    open()
  })
  return tr
}

export function callTable(cls: string, calls: readonly LlmCall[]): HTMLTableElement {
  const maxIn = Math.max(1, ...calls.map((c) => c.tokens_in))
  return h(
    'table',
    { class: cls },
    h('thead', null, h('tr', null, ...CALL_COLUMNS.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, ...calls.map((c) => callRow(c, maxIn))),
  )
}

let drillIds = 0

/**
 * Wires a breakdown row to its drill-down: returns the toggle button (for the row's last cell) and the hidden
 * detail row to insert after it. Calls load on first open; Load more follows the cursor.
 */
function attachDrill(
  row: HTMLTableRowElement,
  what: string,
  filter: Query,
  columns: number,
  deps: DrillDeps,
): { toggle: HTMLButtonElement; detail: HTMLTableRowElement } {
  const id = `drill-${++drillIds}`
  const body = h('div', { class: 'drill-body', 'aria-live': 'polite' })
  const detail = h('tr', { class: 'drill-row', id, hidden: true }, h('td', { colspan: columns }, body))
  const toggle = h(
    'button',
    { type: 'button', class: 'drill-toggle', 'aria-expanded': 'false', 'aria-controls': id, 'data-csv-skip': true },
    'Calls',
  )
  toggle.setAttribute('aria-label', `LLM calls of ${what}`)
  const calls: LlmCall[] = []
  let cursor: string | null = null
  let loaded = false
  // Fixed at the first page: the cursor belongs to that exact query.
  let since = ''
  const load = async (more: boolean): Promise<void> => {
    if (!more) since = deps.since()
    body.querySelector('.drill-status')?.remove()
    const moreButton = body.querySelector<HTMLButtonElement>('.drill-more')
    if (moreButton !== null) moreButton.disabled = true
    const status = h('p', { class: 'muted drill-status' }, 'Loading calls…')
    body.append(status)
    try {
      const page = await deps.fetchCalls({ ...filter, since, limit: 20, cursor: more ? cursor : null })
      calls.push(...page.data)
      cursor = page.pagination.has_more ? page.pagination.cursor : null
      const head = `${formatNumber(page.totals.call_count)} calls since ${new Date(since).toLocaleString()} · ${formatCost(page.totals.cost, 'table')}`
      const next = h('button', { type: 'button', class: 'drill-more' }, 'Load more')
      next.addEventListener('click', () => void load(true))
      body.replaceChildren(
        h('p', { class: 'drill-head' }, head),
        calls.length === 0 ? h('p', { class: 'muted' }, 'No LLM calls in this range') : callTable('drill-calls', calls),
        ...(cursor === null ? [] : [next]),
      )
      if (more) body.querySelectorAll<HTMLElement>('.call-row')[calls.length - page.data.length]?.focus()
    } catch (e) {
      // D21: the error in words with Retry; what was listed stays.
      const retry = h('button', { type: 'button', class: 'retry' }, 'Retry')
      retry.addEventListener('click', () => void load(more))
      status.className = 'error-text drill-status'
      status.replaceChildren(e instanceof Error ? e.message : 'Request failed', ' ', retry)
      if (moreButton !== null) moreButton.disabled = false
    }
  }
  const flip = () => {
    const open = detail.hidden
    detail.hidden = !open
    toggle.setAttribute('aria-expanded', String(open))
    row.classList.toggle('drilled', open)
    if (open && !loaded) {
      loaded = true
      void load(false)
    }
  }
  toggle.addEventListener('click', (ev) => {
    ev.stopPropagation()
    flip()
  })
  row.classList.add('drillable')
  row.addEventListener('click', (ev) => {
    if (!(ev.target instanceof Element) || ev.target.closest('button, a') === null) flip()
  })
  return { toggle, detail }
}

/** The row with its drill-down toggle in a last cell (left out of CSV), then its hidden detail row. */
export function withDrill(
  row: HTMLTableRowElement,
  what: string,
  filter: Query | null,
  columns: number,
  deps: DrillDeps | null,
): HTMLTableRowElement[] {
  if (filter === null || deps === null) {
    row.append(h('td', { 'data-csv-skip': true }))
    return [row]
  }
  const { toggle, detail } = attachDrill(row, what, filter, columns + 1, deps)
  row.append(h('td', { 'data-csv-skip': true }, toggle))
  return [row, detail]
}

/** Header cells for a drillable table: the columns, then the toggle column's (screen-reader) name. */
export function drillHeader(columns: readonly string[]): HTMLTableSectionElement {
  return h(
    'thead',
    null,
    h(
      'tr',
      null,
      ...columns.map((x) => h('th', { scope: 'col' }, x)),
      h('th', { scope: 'col', 'data-csv-skip': true }, h('span', { class: 'sr-only' }, 'LLM calls')),
    ),
  )
}
