/**
 * Cost Explorer extras: cost over time with bucket drill-down (D42; §17 #19 "why did costs spike?") and task type ×
 * agent (D43; §17 #18, #21). Bars are buttons sized through the CSSOM (CSP, D68), so they work from the keyboard.
 */
import type { WireTask } from '@hiveboard/shared'
import type { Query } from '../lib/api.js'
import { clockTime, formatCost, formatNumber, formatTokens, modelTag } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { TypeAgentCell } from '../store/cost-matrix.js'
import type { State } from '../store/state.js'
import { drillHeader, withDrill, type CallsPage, type DrillDeps, type LlmCall } from './call-drill.js'
import { tableHead } from './cost-breakdown.js'
import { endpointPanel, type EndpointDeps } from './endpoint.js'

export interface CostSeries {
  interval: string
  data: { timestamp: string; cost: number; call_count: number; tokens_in: number; tokens_out: number }[]
}

export type BucketCall = Pick<LlmCall, 'agent_id' | 'model' | 'cost'>

export interface CostExtrasDeps extends EndpointDeps {
  /** `/v1/llm-calls` (D42 bucket: `since`, `until`, `sort=cost`, `limit=200`; D43 drill-downs). */
  fetchCalls: (query: Query) => Promise<CallsPage>
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 }

function intervalMs(interval: string): number {
  const m = /^(\d+)([mhd])$/.exec(interval)
  return m === null ? 3_600_000 : Number(m[1]) * (UNIT_MS[m[2] ?? 'h'] ?? 3_600_000)
}

function sumBy(calls: readonly BucketCall[], key: (c: BucketCall) => string): [string, number, number][] {
  const sums = new Map<string, [number, number]>()
  for (const c of calls) {
    const cur = sums.get(key(c)) ?? [0, 0]
    sums.set(key(c), [cur[0] + (c.cost ?? 0), cur[1] + 1])
  }
  return [...sums].map(([k, [cost, n]]): [string, number, number] => [k, cost, n]).sort((a, b) => b[1] - a[1])
}

function groupList(title: string, rows: [string, number, number][]): HTMLElement {
  return h(
    'div',
    { class: `bucket-group bucket-by-${title.toLowerCase()}` },
    h('h4', null, `By ${title}`),
    h(
      'ul',
      null,
      ...rows.map(([k, cost, n]) =>
        h('li', null, `${k} · ${formatCost(cost, 'table')} · ${n} call${n === 1 ? '' : 's'}`),
      ),
    ),
  )
}

export function createCostOverTime(deps: CostExtrasDeps): Panel<State> {
  const detail = h('div', { class: 'bucket-detail', 'aria-live': 'polite' })
  let request = 0
  const open = async (since: string, until: string, agent: string | null) => {
    const mine = ++request
    detail.replaceChildren(h('p', { class: 'muted' }, 'Loading calls…'))
    try {
      const res = await deps.fetchCalls({ since, until, sort: 'cost', limit: 200, agent_id: agent })
      if (mine !== request) return
      detail.replaceChildren(
        h(
          'p',
          { class: 'bucket-head' },
          `${clockTime(since)}–${clockTime(until)}: ${formatCost(res.totals.cost, 'table')} over ${formatNumber(res.totals.call_count)} calls`,
        ),
        groupList(
          'Model',
          sumBy(res.data, (c) => modelTag(c.model)),
        ),
        groupList(
          'Agent',
          sumBy(res.data, (c) => c.agent_id),
        ),
      )
    } catch (e) {
      if (mine !== request) return
      detail.replaceChildren(h('p', { class: 'error-text' }, e instanceof Error ? e.message : 'Request failed'))
    }
  }
  const panel = endpointPanel<CostSeries>(deps, {
    key: 'cost-timeseries',
    className: 'cost-over-time',
    label: 'Cost over time',
    heading: { level: 'h3', text: 'Cost over time' },
    isEmpty: (s) => s.data.every((b) => b.call_count === 0),
    emptyText: (state) => `No LLM calls in the last ${state.url.range}`,
    draw: (s, state) => {
      detail.replaceChildren()
      const max = Math.max(...s.data.map((b) => b.cost), 0)
      const step = intervalMs(s.interval)
      const bars = s.data.map((b, i) => {
        const until = s.data[i + 1]?.timestamp ?? new Date(Date.parse(b.timestamp) + step).toISOString()
        const bar = h('button', {
          type: 'button',
          class: 'cost-bucket',
          'data-timestamp': b.timestamp,
          'aria-label': `${clockTime(b.timestamp)}: ${formatCost(b.cost, 'table')}, ${b.call_count} calls`,
          title: `${clockTime(b.timestamp)} · ${formatCost(b.cost, 'table')} · ${b.call_count} calls`,
        })
        bar.style.height = `${max > 0 ? Math.max(2, Math.round((b.cost / max) * 100)) : 2}%`
        bar.addEventListener('click', () => void open(b.timestamp, until, state.url.agent))
        return bar
      })
      return [h('div', { class: 'cost-bars', role: 'group', 'aria-label': 'Cost per bucket' }, ...bars), detail]
    },
  })
  return panel
}

export function createTypeAgentMatrix(deps: EndpointDeps): Panel<State> {
  return endpointPanel<TypeAgentCell[]>(deps, {
    key: 'cost-tasks',
    className: 'cost-type-agent',
    label: 'Task type × agent',
    isEmpty: (cells) => cells.length === 0,
    emptyText: (state) => `No tasks in the last ${state.url.range}`,
    draw: (cells) => {
      const table = h(
        'table',
        { class: 'type-agent-table' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ...['Task type', 'Agent', 'Tasks', 'Mean cost', 'Mean calls'].map((x) => h('th', { scope: 'col' }, x)),
          ),
        ),
        h(
          'tbody',
          null,
          ...cells.map((c) =>
            h(
              'tr',
              {
                class: c.spread ? 'type-agent-row spread' : 'type-agent-row',
                title: c.spread ? 'Over twice the cheapest agent for this task type' : null,
              },
              h('td', null, c.task_type),
              h('td', null, c.agent_id),
              h('td', null, formatNumber(c.count)),
              h('td', { 'data-csv': c.mean_cost ?? '' }, formatCost(c.mean_cost, 'table')),
              h('td', null, c.mean_calls.toFixed(1)),
            ),
          ),
        ),
      )
      return [tableHead('Task type × agent', () => table), table]
    },
  })
}

/** D43 by task: the range's 20 costliest tasks (`/v1/tasks?sort=cost`), each opening its timeline or its calls. */
export function createCostByTask(deps: EndpointDeps & DrillDeps & { openTask: (id: string) => void }): Panel<State> {
  const columns = ['Task', 'Agent', 'Type', 'Cost', 'Calls', 'Tokens']
  return endpointPanel<WireTask[]>(deps, {
    key: 'cost-by-task',
    className: 'cost-by-task',
    label: 'Costliest tasks',
    isEmpty: (tasks) => tasks.every((t) => t.total_cost === null || t.total_cost === 0),
    emptyText: (state) => `No task with LLM cost in the last ${state.url.range}`,
    draw: (tasks) => {
      const rows = tasks
        .filter((t) => t.total_cost !== null && t.total_cost > 0)
        .flatMap((t) => {
          const link = h('button', { type: 'button', class: 'link' }, t.task_id)
          link.addEventListener('click', () => deps.openTask(t.task_id))
          const tr = h(
            'tr',
            { class: 'cost-task-row', 'data-task-id': t.task_id },
            h('td', null, link),
            h('td', null, t.agent_id ?? '—'),
            h('td', null, t.task_type ?? '—'),
            h('td', { 'data-csv': t.total_cost }, formatCost(t.total_cost, 'table')),
            h('td', { 'data-csv': t.llm_call_count }, `${formatNumber(t.llm_call_count)} calls`),
            h('td', null, `${formatTokens(t.total_tokens_in)}→${formatTokens(t.total_tokens_out)}`),
          )
          return withDrill(tr, t.task_id, { task_id: t.task_id }, columns.length, deps)
        })
      const table = h('table', null, drillHeader(columns), h('tbody', null, ...rows))
      return [tableHead('Costliest tasks', () => table), table]
    },
  })
}
