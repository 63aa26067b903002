/** Cost Explorer (dashboard.md D41–D44): ribbon, breakdowns with drill-downs, recent calls; tables export CSV. */
import { formatCost, formatNumber, formatTokens } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'
import { callTable, type DrillDeps, type LlmCall } from './call-drill.js'
import type { ProjectCosts } from '../app/cost-loaders.js'
import { breakdown, byModel, tableHead, type CostSummary } from './cost-breakdown.js'
import { createCostByTask, createCostOverTime, createTypeAgentMatrix, type CostExtrasDeps } from './cost-extras.js'
import { endpointPanel } from './endpoint.js'

export const CALL_SORTS = ['newest', 'cost', 'tokens_in', 'duration'] as const
export type CallSort = (typeof CALL_SORTS)[number]

export interface CostDeps extends CostExtrasDeps, DrillDeps {
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

function recent(calls: LlmCall[]): HTMLElement {
  const table = callTable('recent-calls-table', calls)
  return h(
    'section',
    { class: 'recent-calls' },
    tableHead('Recent calls', () => table),
    table,
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
    byModel(c, 'By model', deps),
    breakdown(
      {
        title: 'By agent',
        cls: 'cost-by-agent',
        rows: c.by_agent,
        total: c.total_cost,
        label: (r) => {
          const b = h('button', { type: 'button', class: 'link' }, r.agent_id)
          b.addEventListener('click', () => deps.openAgent(r.agent_id))
          return b
        },
        name: (r) => r.agent_id,
        drill: (r) => ({ agent_id: r.agent_id }),
      },
      deps,
    ),
  ]
}

/** D43 by project: `by_project` of /v1/cost, else per project (loaders), named from /v1/projects. */
function createCostByProject(deps: CostDeps): Panel<State> {
  return endpointPanel<ProjectCosts>(deps, {
    key: 'cost-projects',
    className: 'cost-projects',
    label: 'Cost by project',
    isEmpty: (p) => p.rows.length === 0,
    emptyText: (state) => `No LLM calls in any project in the last ${state.url.range}`,
    draw: (p) => [
      breakdown(
        {
          title: 'By project',
          cls: 'cost-by-project',
          rows: p.rows,
          total: p.total,
          label: (r) => r.name,
          name: (r) => r.name,
          drill: (r) => (r.project_id === null ? null : { project_id: r.project_id }),
        },
        deps,
      ),
    ],
  })
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
  const parts = [
    summary,
    createCostByProject(deps),
    createCostOverTime(deps),
    createCostByTask(deps),
    createTypeAgentMatrix(deps),
    calls,
  ]
  const sort = h('select', { class: 'call-sort', 'aria-label': 'Sort recent calls' })
  for (const s of CALL_SORTS) sort.append(h('option', { value: s }, s.replace('_', ' ')))
  sort.addEventListener('change', () => deps.setCallSort?.(sort.value as CallSort))
  const dom = h(
    'section',
    { class: 'cost-view', 'aria-label': 'Cost Explorer' },
    h('h2', null, 'Cost Explorer'),
    ...parts.slice(0, -1).map((p) => p.dom),
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
