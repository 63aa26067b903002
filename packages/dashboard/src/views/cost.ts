/** Cost Explorer (dashboard.md D41, D43, D44): ribbon, by model, by agent, recent calls. */
import type { WireEvent } from '@hiveboard/shared'
import { clockTime, formatCost, formatDuration, formatNumber, formatTokens, modelTag } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'
import { endpointPanel } from './endpoint.js'
import { createCostByTask, createCostOverTime, createTypeAgentMatrix, type CostExtrasDeps } from './cost-extras.js'
import { openLlmModal } from './modal.js'

interface Group {
  cost: number
  call_count: number
  tokens_in: number
  tokens_out: number
  estimated_cost: number
}
interface CostSummary {
  total_cost: number
  call_count: number
  total_tokens_in: number
  total_tokens_out: number
  reported_cost: number
  estimated_cost: number
  by_agent: (Group & { agent_id: string })[]
  by_model: (Group & { model: string })[]
}
interface LlmCall {
  event_id: string
  agent_id: string
  task_id: string | null
  timestamp: string
  name: string
  model: string
  tokens_in: number
  tokens_out: number
  cost: number
  cost_source: string | null
  duration_ms: number | null
}

export const CALL_SORTS = ['newest', 'cost', 'tokens_in', 'duration'] as const
export type CallSort = (typeof CALL_SORTS)[number]

export interface CostDeps extends CostExtrasDeps {
  openAgent: (id: string) => void
  openTask: (id: string) => void
  /** D44: re-orders recent calls server-side. */
  setCallSort?: (sort: CallSort) => void
}

function stat(label: string, value: string, cls: string): HTMLElement {
  return h(
    'div',
    { class: `stat ${cls}` },
    h('span', { class: 'stat-value' }, value),
    h('span', { class: 'stat-label' }, label),
  )
}

function breakdown<T extends Group>(
  title: string,
  rows: T[],
  label: (r: T) => HTMLElement | string,
  total: number,
): HTMLElement {
  const body = rows.map((r) => {
    const share = total > 0 ? (r.cost / total) * 100 : 0
    const bar = h('span', { class: 'share-bar' })
    bar.style.width = `${Math.round(share)}%`
    return h(
      'tr',
      null,
      h('td', null, label(r)),
      h('td', null, formatCost(r.cost, 'table', r.estimated_cost > 0)),
      h('td', null, `${share.toFixed(1)}%`, h('span', { class: 'share' }, bar)),
      h('td', null, formatNumber(r.call_count)),
      h('td', null, `${formatTokens(r.tokens_in)}→${formatTokens(r.tokens_out)}`),
    )
  })
  return h(
    'section',
    { class: `cost-breakdown cost-${title.toLowerCase().replace(/\s+/g, '-')}` },
    h('h3', null, title),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h('tr', null, ...['', 'Cost', 'Share', 'Calls', 'Tokens'].map((x) => h('th', { scope: 'col' }, x))),
      ),
      h('tbody', null, ...body),
    ),
  )
}

function recent(calls: LlmCall[]): HTMLElement {
  // Token bars: tokens in relative to the largest prompt listed (§17 #20 "is there prompt bloat?").
  const maxIn = Math.max(1, ...calls.map((c) => c.tokens_in))
  const rows = calls.map((c) => {
    const bar = h('span', { class: 'share-bar' })
    bar.style.width = `${Math.round((c.tokens_in / maxIn) * 100)}%`
    const tr = h(
      'tr',
      { class: 'call-row', tabindex: 0 },
      h('td', null, clockTime(c.timestamp)),
      h('td', null, c.agent_id),
      h('td', null, c.name),
      h('td', null, h('span', { class: 'model-badge' }, modelTag(c.model))),
      h('td', null, `${formatTokens(c.tokens_in)}→${formatTokens(c.tokens_out)}`, h('span', { class: 'share' }, bar)),
      h('td', null, formatCost(c.cost, 'table', c.cost_source === 'estimated')),
      h('td', null, formatDuration(c.duration_ms)),
    )
    const open = () =>
      openLlmModal({
        event_id: c.event_id,
        agent_id: c.agent_id,
        task_id: c.task_id,
        payload: { kind: 'llm_call', data: { ...c } },
      } as unknown as WireEvent)
    tr.addEventListener('click', open)
    tr.addEventListener('keydown', (ev) => ev.key === 'Enter' && open())
    return tr
  })
  return h(
    'section',
    { class: 'recent-calls' },
    h('h3', null, 'Recent calls'),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Time', 'Agent', 'Name', 'Model', 'Tokens', 'Cost', 'Duration'].map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  )
}

function drawSummary(c: CostSummary, deps: CostDeps): Node[] {
  return [
    h(
      'div',
      { class: 'ribbon' },
      stat('Total cost', formatCost(c.total_cost, 'ribbon', c.estimated_cost > 0), 'total-cost'),
      stat('LLM calls', formatNumber(c.call_count), 'call-count'),
      stat('Tokens in → out', `${formatTokens(c.total_tokens_in)} → ${formatTokens(c.total_tokens_out)}`, 'tokens'),
      stat('Cost per call', formatCost(c.call_count > 0 ? c.total_cost / c.call_count : null, 'table'), 'per-call'),
      stat(
        'Reported / estimated',
        `${formatCost(c.reported_cost, 'ribbon')} / ${formatCost(c.estimated_cost, 'ribbon')}`,
        'split',
      ),
    ),
    breakdown('By model', c.by_model, (r) => modelTag(r.model), c.total_cost),
    breakdown(
      'By agent',
      c.by_agent,
      (r) => {
        const b = h('button', { type: 'button', class: 'link' }, r.agent_id)
        b.addEventListener('click', () => deps.openAgent(r.agent_id))
        return b
      },
      c.total_cost,
    ),
  ]
}

export function createCostView(deps: CostDeps): Panel<State> {
  const noCalls = (state: State) => `No LLM calls in the last ${state.url.range}`
  const summary = endpointPanel<CostSummary>(deps, {
    key: 'cost',
    className: 'cost-summary',
    label: 'Cost summary',
    bodyClass: 'cost-body',
    isEmpty: (c) => c.call_count === 0,
    emptyText: noCalls,
    draw: (c) => drawSummary(c, deps),
  })
  const calls = endpointPanel<LlmCall[]>(deps, {
    key: 'llm-calls',
    className: 'cost-calls',
    label: 'Recent LLM calls',
    isEmpty: (list) => list.length === 0,
    emptyText: noCalls,
    draw: (list) => [recent(list)],
  })
  const parts = [summary, createCostOverTime(deps), createCostByTask(deps), createTypeAgentMatrix(deps), calls]
  const sort = h('select', { class: 'call-sort', 'aria-label': 'Sort recent calls' })
  for (const s of CALL_SORTS) sort.append(h('option', { value: s }, s.replace('_', ' ')))
  sort.addEventListener('change', () => deps.setCallSort?.(sort.value as CallSort))
  const dom = h(
    'section',
    { class: 'cost-view', 'aria-label': 'Cost Explorer' },
    h('h2', null, 'Cost Explorer'),
    ...parts.slice(0, 4).map((p) => p.dom),
    deps.setCallSort === undefined ? null : h('label', { class: 'call-sort-label' }, 'Sort recent calls by ', sort),
    calls.dom,
  )
  return {
    dom,
    update(state) {
      for (const p of parts) p.update(state)
    },
    destroy() {
      for (const p of parts) p.destroy()
    },
  }
}
