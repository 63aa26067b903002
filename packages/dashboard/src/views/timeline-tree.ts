/** Timeline tree (D36) and flat (D37) renderings. */
import type { WireEvent } from '@hiveboard/shared'
import { clockTime, cut, formatCost, formatDuration, formatTokens, modelTag } from '../lib/format.js'
import { h } from '../lib/h.js'
import { eventData, eventKind } from '../lib/narrate.js'
import { connectorWidth, flatWindow } from '../store/timeline-model.js'
import type { ActionNode, Timeline } from '../store/types.js'
import { openEventDetails, openLlmModal } from './modal.js'

const MARKER_TYPES = new Set(['retry_started', 'escalated', 'approval_requested', 'approval_received'])

function llmRow(e: WireEvent, level: number): HTMLElement {
  const d = eventData(e)
  const tin = typeof d.tokens_in === 'number' ? d.tokens_in : 0
  const tout = typeof d.tokens_out === 'number' ? d.tokens_out : 0
  const bar = h(
    'span',
    { class: 'token-bar', 'aria-hidden': 'true' },
    h('span', { class: 'tin' }),
    h('span', { class: 'tout' }),
  )
  const total = Math.max(1, tin + tout)
  ;(bar.children[0] as HTMLElement).style.width = `${(tin / total) * 60}px`
  ;(bar.children[1] as HTMLElement).style.width = `${(tout / total) * 60}px`
  const li = h(
    'li',
    { role: 'treeitem', class: 'tree-row llm', tabindex: -1, 'aria-level': level, 'data-event-id': e.event_id },
    h('span', { class: 'kind-icon' }, '✦'),
    h('span', { class: 'node-name' }, typeof d.name === 'string' ? d.name : 'LLM call'),
    h('span', { class: 'model-badge' }, modelTag(typeof d.model === 'string' ? d.model : null)),
    h('span', { class: 'muted' }, `${formatTokens(tin)}→${formatTokens(tout)}`),
    bar,
    h('span', null, formatCost(typeof d.cost === 'number' ? d.cost : null, 'table', d.cost_source === 'estimated')),
  )
  li.addEventListener('click', () => openLlmModal(e))
  return li
}

function markerText(e: WireEvent): string {
  const d = eventData(e)
  const s = (k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : null)
  const type: string = e.event_type
  switch (type) {
    case 'retry_started':
      return `↻ Retry${s('attempt') === null ? '' : ` attempt ${s('attempt')}`}`
    case 'escalated':
      return `⚑ Escalated${s('assigned_to') === null ? '' : ` to ${s('assigned_to')}`}${s('reason') === null ? '' : `: ${s('reason')}`}`
    case 'approval_requested':
      return `‖ Approval requested${s('approver') === null ? '' : ` from ${s('approver')}`}`
    default:
      return `✓ Approval ${s('decision') ?? 'received'}${s('approved_by') === null ? '' : ` by ${s('approved_by')}`}`
  }
}

function planStepText(e: WireEvent): string {
  const d = eventData(e)
  const i = typeof d.step_index === 'number' ? d.step_index + 1 : null
  return `▸ Plan step${i === null ? '' : ` ${i}`}${typeof d.action === 'string' ? ` ${d.action}` : ''}`
}

function markerRow(e: WireEvent, level: number): HTMLElement {
  const kind = eventKind(e)
  const text = kind === 'plan_step' ? planStepText(e) : markerText(e)
  const li = h(
    'li',
    {
      role: 'treeitem',
      class: `tree-row marker ${e.event_type}`,
      tabindex: -1,
      'aria-level': level,
      'data-event-id': e.event_id,
    },
    h('span', { class: 'muted' }, clockTime(e.timestamp)),
    ' ',
    text,
  )
  li.addEventListener('click', () => openEventDetails(e))
  return li
}

function isMarker(e: WireEvent): boolean {
  return MARKER_TYPES.has(e.event_type) || eventKind(e) === 'plan_step'
}

function actionRow(n: ActionNode, level: number, now: number): HTMLElement {
  const started = n.started_at === null ? null : Date.parse(n.started_at)
  const dur = n.duration_ms ?? (n.status === 'running' && started !== null ? now - started : null)
  const group = h('ul', { role: 'group' })
  const items: { t: string; el: HTMLElement }[] = []
  for (const e of n.events) {
    if (eventKind(e) === 'llm_call') items.push({ t: e.timestamp, el: llmRow(e, level + 1) })
    else if (isMarker(e)) items.push({ t: e.timestamp, el: markerRow(e, level + 1) })
  }
  for (const c of n.children) items.push({ t: c.started_at ?? '', el: actionRow(c, level + 1, now) })
  items.sort((a, b) => a.t.localeCompare(b.t))
  group.append(...items.map((i) => i.el))
  const hasChildren = items.length > 0
  const head = h(
    'div',
    { class: 'tree-head' },
    h('span', { class: 'twisty', 'aria-hidden': 'true' }, hasChildren ? '▾' : ' '),
    h('span', { class: 'kind-icon' }, '▹'),
    h('span', { class: 'node-name' }, n.name ?? n.action_id),
    h('span', { class: 'muted' }, formatDuration(dur)),
    h('span', { class: `node-status st-${n.status}` }, n.status),
    n.error === null
      ? null
      : h('span', { class: 'inline-error' }, [n.error.type, n.error.message].filter((x) => x !== null).join(': ')),
  )
  const li = h(
    'li',
    {
      role: 'treeitem',
      class: `tree-row action${n.status === 'failed' ? ' failed' : ''}`,
      tabindex: -1,
      'aria-level': level,
      'aria-expanded': hasChildren ? 'true' : null,
      'data-action-id': n.action_id,
    },
    head,
    hasChildren ? group : null,
  )
  head.addEventListener('click', () => {
    const first = n.events[0]
    if (first !== undefined) openEventDetails(first)
  })
  return li
}

export function renderTree(t: Timeline, now: number): HTMLElement {
  if (t.action_tree.length === 0) return h('p', { class: 'empty' }, 'No actions recorded — see Flat')
  const tree = h('ul', { role: 'tree', class: 'tree', 'aria-label': 'Actions' })
  const inAction = new Set<string>()
  const walk = (n: ActionNode) => {
    n.events.forEach((e) => inAction.add(e.event_id))
    n.children.forEach(walk)
  }
  t.action_tree.forEach(walk)
  const items: { t: string; el: HTMLElement }[] = t.action_tree.map((n) => ({
    t: n.started_at ?? '',
    el: actionRow(n, 1, now),
  }))
  for (const e of t.events) {
    if (inAction.has(e.event_id)) continue
    if (eventKind(e) === 'llm_call') items.push({ t: e.timestamp, el: llmRow(e, 1) })
    else if (isMarker(e)) items.push({ t: e.timestamp, el: markerRow(e, 1) })
  }
  items.sort((a, b) => a.t.localeCompare(b.t))
  tree.append(...items.map((i) => i.el))
  const first = tree.querySelector<HTMLElement>('[role=treeitem]')
  if (first !== null) first.tabIndex = 0
  tree.addEventListener('keydown', (ev) => {
    const rows = [...tree.querySelectorAll<HTMLElement>('[role=treeitem]')]
    const i = rows.indexOf(document.activeElement as HTMLElement)
    let next: HTMLElement | undefined
    if (ev.key === 'ArrowDown' || ev.key === 'j') next = rows[i + 1]
    else if (ev.key === 'ArrowUp' || ev.key === 'k') next = rows[Math.max(0, i - 1)]
    else if (ev.key === 'Enter' && i >= 0) {
      const row = rows[i]
      const target = row?.querySelector<HTMLElement>(':scope > .tree-head') ?? row
      target?.click()
    } else if ((ev.key === 'ArrowLeft' || ev.key === 'ArrowRight') && i >= 0) {
      const row = rows[i]
      if (row?.hasAttribute('aria-expanded') === true) {
        const open = ev.key === 'ArrowRight'
        row.setAttribute('aria-expanded', String(open))
        const g = row.querySelector<HTMLElement>(':scope > [role=group]')
        if (g !== null) g.hidden = !open
      }
    } else return
    ev.preventDefault()
    if (next !== undefined) {
      rows.forEach((r) => (r.tabIndex = -1))
      next.tabIndex = 0
      next.focus()
    }
  })
  return tree
}

function flatLabel(e: WireEvent): string {
  const p = e.payload ?? {}
  const d = eventData(e)
  const pick = [p.action_name, d.action_name, p.summary].find((x) => typeof x === 'string' && x !== '')
  return cut(typeof pick === 'string' ? pick : e.event_type, 28)
}

export function renderFlat(t: Timeline, expanded: boolean, expand: () => void): HTMLElement {
  const track = h('ol', { class: 'flat', 'aria-label': 'Events in order' })
  const win = flatWindow(t.events, expanded)
  const node = (e: WireEvent, next: WireEvent | undefined) => {
    const kind = eventKind(e)
    const li = h(
      'li',
      { class: `flat-node k-${kind ?? e.event_type} sev-${e.severity}`, tabindex: 0, 'data-event-id': e.event_id },
      h('span', { class: 'flat-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'flat-label' }, flatLabel(e)),
      kind === 'llm_call'
        ? h(
            'span',
            { class: 'model-badge' },
            modelTag(typeof eventData(e).model === 'string' ? (eventData(e).model as string) : null),
          )
        : null,
      h('time', { class: 'muted', datetime: e.timestamp }, clockTime(e.timestamp, true)),
    )
    li.addEventListener('click', () => openEventDetails(e))
    li.addEventListener('keydown', (ev) => {
      if (ev.key !== 'Enter') return
      // Else the same Enter presses the dialog's Close button, focused by then.
      ev.preventDefault()
      openEventDetails(e)
    })
    track.append(li)
    if (next !== undefined) {
      const c = h('li', { class: 'connector', 'aria-hidden': 'true' })
      c.style.width = `${connectorWidth(Date.parse(next.timestamp) - Date.parse(e.timestamp))}px`
      track.append(c)
    }
  }
  win.head.forEach((e, i) => node(e, win.head[i + 1] ?? win.tail[0]))
  if (win.hidden > 0) {
    const more = h('button', { type: 'button', class: 'show-more' }, `Show ${win.hidden} more`)
    more.addEventListener('click', expand)
    track.append(h('li', null, more))
  }
  win.tail.forEach((e, i) => node(e, win.tail[i + 1]))
  return h('div', { class: 'flat-wrap' }, track)
}
