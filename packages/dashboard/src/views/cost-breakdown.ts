/**
 * Cost breakdowns (dashboard.md D43): by model, agent and project, by cost with share and bar; each row drills into
 * its LLM calls (call-drill.ts) and each table exports as CSV (D44 Beyond).
 */
import type { Query } from '../lib/api.js'
import { formatCost, formatNumber, formatTokens, modelTag } from '../lib/format.js'
import { h } from '../lib/h.js'
import { drillHeader, withDrill, type DrillDeps } from './call-drill.js'
import { csvButton } from './csv-export.js'

export interface CostGroup {
  cost: number
  call_count: number
  tokens_in: number
  tokens_out: number
  estimated_cost: number
}

export interface CostSummary {
  total_cost: number
  call_count: number
  total_tokens_in: number
  total_tokens_out: number
  reported_cost: number
  estimated_cost: number
  by_agent: (CostGroup & { agent_id: string })[]
  by_model: (CostGroup & { model: string })[]
  /** Newer servers only; else the project breakdown asks per project (D43). */
  by_project?: (CostGroup & { project_id: string | null })[]
}

export interface ProjectCost extends CostGroup {
  project_id: string | null
  name: string
}

export interface BreakdownSpec<T extends CostGroup> {
  title: string
  cls: string
  rows: readonly T[]
  total: number
  label: (r: T) => Node | string
  /** The row's name in words (drill-down button label). */
  name: (r: T) => string
  /** The `/v1/llm-calls` filter of a row; null = no drill-down (e.g. calls without a project). */
  drill: ((r: T) => Query | null) | null
}

const COLUMNS = ['', 'Cost', 'Share', 'Calls', 'Tokens']

/** A section heading with the table's CSV button beside it. */
export function tableHead(title: string, table: () => HTMLTableElement | null, level: 'h3' | 'h4' = 'h3'): HTMLElement {
  return h('div', { class: 'table-head' }, h(level, null, title), csvButton(title, table))
}

export function breakdown<T extends CostGroup>(spec: BreakdownSpec<T>, drill: DrillDeps | null): HTMLElement {
  const body = spec.rows.flatMap((r) => {
    const share = spec.total > 0 ? (r.cost / spec.total) * 100 : 0
    const bar = h('span', { class: 'share-bar' })
    bar.style.width = `${Math.round(share)}%`
    const tr = h(
      'tr',
      null,
      h('td', null, spec.label(r)),
      h('td', { 'data-csv': r.cost }, formatCost(r.cost, 'table', r.estimated_cost > 0)),
      h('td', { 'data-csv': Math.round(share * 10) / 10 }, `${share.toFixed(1)}%`, h('span', { class: 'share' }, bar)),
      h('td', { 'data-csv': r.call_count }, formatNumber(r.call_count)),
      h('td', null, `${formatTokens(r.tokens_in)}→${formatTokens(r.tokens_out)}`),
    )
    return withDrill(tr, spec.name(r), spec.drill === null ? null : spec.drill(r), COLUMNS.length, drill)
  })
  const table = h('table', null, drillHeader(COLUMNS), h('tbody', null, ...body))
  return h(
    'section',
    { class: `cost-breakdown ${spec.cls}` },
    tableHead(spec.title, () => table),
    table,
  )
}

/** By model (D43; the Agent Metrics tab's cost by model, D30): rows drill into the model's calls (within `scope`). */
export function byModel(c: CostSummary, title: string, drill: DrillDeps, scope: Query = {}): HTMLElement {
  return breakdown(
    {
      title,
      cls: 'cost-by-model',
      rows: c.by_model,
      total: c.total_cost,
      label: (r) => modelTag(r.model),
      name: (r) => r.model,
      drill: (r) => ({ ...scope, model: r.model }),
    },
    drill,
  )
}
