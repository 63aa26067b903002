/** Dialogs: LLM call modal (D40) and event detail panel (D38). Text only. */
import type { WireEvent } from '@hiveboard/shared'
import { formatCost, formatDuration, formatTokens, modelTag } from '../lib/format.js'
import { h } from '../lib/h.js'
import { showModal } from '../lib/modal-shell.js'
import { eventData, eventKind } from '../lib/narrate.js'

function pretty(value: unknown): string {
  if (typeof value !== 'string') return JSON.stringify(value, null, 2)
  try {
    const parsed: unknown = JSON.parse(value)
    return typeof parsed === 'object' && parsed !== null ? JSON.stringify(parsed, null, 2) : value
  } catch {
    return value
  }
}

function row(label: string, value: string): HTMLElement {
  return h('div', { class: 'kv' }, h('dt', null, label), h('dd', null, value))
}

function preBlock(label: string, value: unknown): HTMLElement {
  const text = pretty(value)
  const copy = h('button', { type: 'button', class: 'copy' }, 'Copy')
  copy.addEventListener('click', () => void navigator.clipboard?.writeText(text))
  return h('section', { class: 'pre-block' }, h('h3', null, label, ' ', copy), h('pre', null, text))
}

export function openDialog(title: string, body: HTMLElement[]): void {
  const close = h('button', { type: 'button', class: 'dialog-close', 'aria-label': 'Close' }, '×')
  const dialog = h(
    'div',
    { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': title, tabindex: -1 },
    h('div', { class: 'dialog-head' }, h('h2', null, title), close),
    h('div', { class: 'dialog-body' }, ...body),
  )
  const done = showModal(dialog, close, () => done())
  close.addEventListener('click', done)
}

export function openLlmModal(e: WireEvent): void {
  const d = eventData(e)
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : '—')
  const body: HTMLElement[] = [
    h(
      'dl',
      { class: 'kvs' },
      row('Name', s(d.name)),
      row('Model', modelTag(typeof d.model === 'string' ? d.model : null)),
      row('Tokens in / out', `${formatTokens(num(d.tokens_in))} / ${formatTokens(num(d.tokens_out))}`),
      row('Cache read tokens', formatTokens(num(d.cache_read_tokens))),
      row('Reasoning tokens', formatTokens(num(d.reasoning_tokens))),
      row('Cost', `${formatCost(num(d.cost), 'table', d.cost_source === 'estimated')} (${s(d.cost_source)})`),
      row('Duration', formatDuration(num(d.duration_ms))),
      row('Agent', e.agent_id),
      row('Task', e.task_id ?? '—'),
    ),
  ]
  if (d.prompt_preview === undefined && d.response_preview === undefined) {
    body.push(h('p', { class: 'muted' }, 'No prompt captured — enable previews in the SDK'))
  } else {
    if (d.prompt_preview !== undefined) body.push(preBlock('Prompt', d.prompt_preview))
    if (d.response_preview !== undefined) body.push(preBlock('Response', d.response_preview))
  }
  if (d.metadata !== undefined) body.push(preBlock('Metadata', d.metadata))
  openDialog(`LLM call ${s(d.name)}`, body)
}

export function openEventDetails(e: WireEvent): void {
  if (eventKind(e) === 'llm_call') {
    openLlmModal(e)
    return
  }
  const fields = Object.entries(e)
    .filter(([k]) => k !== 'payload')
    .map(([k, v]) => row(k, v === null ? '—' : String(v as string | number)))
  const body: HTMLElement[] = [h('dl', { class: 'kvs' }, ...fields)]
  if (e.payload !== null) body.push(preBlock('Payload', e.payload))
  openDialog(`${e.event_type} · ${e.event_id}`, body)
}
