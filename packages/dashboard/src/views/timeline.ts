/** Task Timeline (dashboard.md D32–D39): header, plan bar, breakdown, errors first, tree/flat. */
import { formatCost, formatDuration, formatNumber, formatTokens } from '../lib/format.js'
import { clear, h, setText, type Panel } from '../lib/h.js'
import { eventData } from '../lib/narrate.js'
import { timelinePermalink } from '../lib/url.js'
import type { State } from '../store/state.js'
import { failures, timeBreakdown } from '../store/timeline-model.js'
import type { Timeline } from '../store/types.js'
import { PanelStatus, taskBadge } from './common.js'
import { renderFlat, renderTree } from './timeline-tree.js'

export interface TimelineDeps {
  setMode: (mode: 'tree' | 'flat') => void
  openAgent: (id: string) => void
  back: () => void
  retry: () => void
  now: () => number
}

function kv(label: string, value: string | HTMLElement): HTMLElement {
  return h('div', { class: 'kv' }, h('dt', null, label), h('dd', null, value))
}

function header(t: Timeline, deps: TimelineDeps): HTMLElement {
  const open = t.completed_at === null
  const elapsed = open ? deps.now() - Date.parse(t.started_at) : null
  const agent = h('button', { type: 'button', class: 'link' }, t.agent_id ?? '—')
  agent.addEventListener('click', () => t.agent_id !== null && deps.openAgent(t.agent_id))
  return h(
    'dl',
    { class: 'kvs timeline-header' },
    kv('Agent', agent),
    kv('Type', t.task_type ?? '—'),
    kv('Status', taskBadge(t.derived_status)),
    kv('Started', new Date(t.started_at).toLocaleString()),
    kv('Duration', formatDuration(t.duration_ms ?? elapsed)),
    kv('Cost', formatCost(t.total_cost, 'table')),
    kv('LLM calls', formatNumber(t.llm_call_count)),
    kv('Tokens', `${formatTokens(t.total_tokens_in)} in / ${formatTokens(t.total_tokens_out)} out`),
    kv('Actions', formatNumber(t.action_count)),
    kv('Errors', formatNumber(t.error_count)),
    kv('Run', t.task_run_id ?? '—'),
  )
}

function planBar(t: Timeline, scrollTo: (i: number) => void): HTMLElement | null {
  const plan = t.plan
  if (plan === null) return null
  const failed = plan.steps.filter((s) => s.action === 'failed').length
  const skipped = plan.steps.filter((s) => s.action === 'skipped').length
  const bar = h('div', { class: 'plan-segments', role: 'list' })
  for (const step of plan.steps) {
    const state = step.action ?? 'pending'
    const seg = h('button', {
      type: 'button',
      role: 'listitem',
      class: `plan-seg seg-${state}`,
      title: `Step ${step.index + 1}: ${step.description ?? ''}`,
      'aria-label': `Step ${step.index + 1}: ${step.description ?? ''} (${state})`,
    })
    seg.addEventListener('click', () => scrollTo(step.index))
    bar.append(seg)
  }
  const extra = [failed > 0 ? `${failed} failed` : null, skipped > 0 ? `${skipped} skipped` : null].filter(Boolean)
  return h(
    'section',
    { class: 'plan-bar', 'aria-label': 'Plan' },
    h('div', null, h('strong', null, plan.goal ?? 'Plan'), plan.revision > 0 ? ` (revision ${plan.revision})` : ''),
    h(
      'div',
      { class: 'plan-progress' },
      `${plan.progress.completed}/${plan.progress.total} completed${extra.length > 0 ? ` · ${extra.join(' · ')}` : ''}`,
    ),
    bar,
  )
}

function breakdown(t: Timeline, now: number): HTMLElement {
  const b = timeBreakdown(t, t.completed_at === null ? now - Date.parse(t.started_at) : null)
  const bar = h('div', { class: 'breakdown-bar' })
  for (const [k, v] of [
    ['llm', b.llm],
    ['tools', b.tools],
    ['other', b.other],
  ] as const) {
    const seg = h('span', { class: `bd-${k}` })
    seg.style.width = `${b.total > 0 ? (v / b.total) * 100 : 0}%`
    bar.append(seg)
  }
  return h(
    'section',
    { class: 'breakdown', 'aria-label': 'Time breakdown' },
    bar,
    h(
      'div',
      { class: 'muted' },
      `LLM ${formatDuration(b.llm)} · Tools ${formatDuration(b.tools)} · Other ${formatDuration(b.other)} · Total ${formatDuration(b.total)}`,
    ),
  )
}

function banners(t: Timeline, now: number): HTMLElement[] {
  const out: HTMLElement[] = []
  const last = (type: string) => [...t.events].reverse().find((e) => e.event_type === type)
  const req = last('approval_requested')
  const rec = last('approval_received')
  if (t.derived_status === 'waiting' && req !== undefined && (rec === undefined || rec.timestamp < req.timestamp)) {
    const approver = eventData(req).approver
    const who = typeof approver === 'string' ? ` from ${approver}` : ''
    out.push(
      h(
        'div',
        { class: 'banner warn' },
        `Waiting for approval${who} for ${formatDuration(now - Date.parse(req.timestamp))}`,
      ),
    )
  }
  const esc = last('escalated')
  if (esc !== undefined) {
    const d = eventData(esc)
    out.push(
      h(
        'div',
        { class: 'banner info' },
        `Escalated to ${typeof d.assigned_to === 'string' ? d.assigned_to : '—'}${typeof d.reason === 'string' ? `: ${d.reason}` : ''}`,
      ),
    )
  }
  return out
}

function errorsFirst(t: Timeline, focus: (id: string) => void): HTMLElement | null {
  if (t.error_count === 0) return null
  const list = failures(t)
  if (list.length === 0) return null
  return h(
    'section',
    { class: 'errors-first', 'aria-label': 'Errors' },
    h('h3', null, 'Errors'),
    h(
      'ul',
      null,
      ...list.map((f) => {
        const b = h('button', { type: 'button', class: 'link error-link' }, f.text)
        b.addEventListener('click', () => focus(f.event.action_id ?? f.event.event_id))
        const chain = f.chained.map((c) => ` → ${c.event_type === 'retry_started' ? 'retried' : 'escalated'}`).join('')
        return h(
          'li',
          null,
          b,
          h('span', { class: 'muted' }, ` ${new Date(f.event.timestamp).toLocaleTimeString()}${chain}`),
        )
      }),
    ),
  )
}

export function createTimelineView(deps: TimelineDeps): Panel<State> {
  const status = new PanelStatus(deps.retry)
  const title = h('h2', null, 'Task')
  const back = h('button', { type: 'button', class: 'link back' }, '← Back')
  back.addEventListener('click', deps.back)
  const copy = h('button', { type: 'button', class: 'permalink' }, 'Copy permalink')
  const treeBtn = h('button', { type: 'button', class: 'mode-tree', 'aria-pressed': 'true' }, 'Tree')
  const flatBtn = h('button', { type: 'button', class: 'mode-flat', 'aria-pressed': 'false' }, 'Flat')
  treeBtn.addEventListener('click', () => deps.setMode('tree'))
  flatBtn.addEventListener('click', () => deps.setMode('flat'))
  const content = h('div', { class: 'timeline-content' })
  const dom = h(
    'section',
    { class: 'timeline-view', 'aria-label': 'Task timeline' },
    h('div', { class: 'panel-head' }, back, title, h('div', { class: 'seg-buttons' }, treeBtn, flatBtn), copy),
    status.dom,
    content,
  )
  let drawn: { t: Timeline; mode: string; expanded: boolean } | null = null
  let expanded = false
  let current: State | null = null
  copy.addEventListener('click', () => {
    const t = current?.timeline.data
    if (t !== undefined && t !== null)
      void navigator.clipboard?.writeText(timelinePermalink(location.origin, t.task_id, current?.url.run ?? null))
  })
  const focusNode = (id: string) => {
    const el = content.querySelector<HTMLElement>(
      `[data-action-id="${CSS.escape(id)}"], [data-event-id="${CSS.escape(id)}"]`,
    )
    el?.scrollIntoView({ block: 'center' })
    el?.focus()
  }
  const draw = (state: State, t: Timeline) => {
    clear(content)
    const now = deps.now()
    const parts = [
      header(t, deps),
      ...banners(t, now),
      t.events_truncated ? h('div', { class: 'banner info' }, 'Showing the first 5,000 events') : null,
      planBar(t, (i) => focusNode(t.events.find((e) => eventData(e).step_index === i)?.event_id ?? '')),
      breakdown(t, now),
      errorsFirst(t, focusNode),
      state.url.mode === 'tree'
        ? renderTree(t, now)
        : renderFlat(t, expanded, () => {
            expanded = true
            if (current !== null) draw(current, t)
          }),
    ]
    for (const p of parts) if (p !== null) content.append(p)
    drawn = { t, mode: state.url.mode, expanded }
  }
  return {
    dom,
    update(state) {
      current = state
      treeBtn.setAttribute('aria-pressed', String(state.url.mode === 'tree'))
      flatBtn.setAttribute('aria-pressed', String(state.url.mode === 'flat'))
      const tl = state.timeline
      const notFound = tl.error?.status === 404
      const view = notFound
        ? { ...tl, error: { status: 404, message: 'Task not found (it may be past retention)' } }
        : tl
      const ok = status.update(view, () => false, '', deps.now())
      setText(title, `Task ${state.url.task ?? ''}`)
      content.hidden = !ok || tl.data?.task_id !== state.url.task
      const t = tl.data
      if (t === null || t.task_id !== state.url.task) return
      if (drawn === null || drawn.t !== t || drawn.mode !== state.url.mode || drawn.expanded !== expanded)
        draw(state, t)
    },
    destroy() {},
  }
}
