/**
 * Agent Metrics tab (dashboard.md D30): the agent's `/v1/metrics` summary and charts for the range (deploy markers
 * at its registrations), its cost by model (`/v1/cost?agent_id=`), and its deploys with per-task success, duration
 * and cost before/after the latest version change (§17 #30, #32).
 */
import { clockTime, formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { DeployComparison, TaskFigures } from '../store/deploys.js'
import type { State } from '../store/state.js'
import type { Metrics } from '../store/types.js'
import type { DrillDeps } from './call-drill.js'
import { byModel, type CostSummary } from './cost-breakdown.js'
import { endpointPanel, type EndpointDeps } from './endpoint.js'
import { createMetricCharts } from './metric-charts.js'

function stat(label: string, value: string, cls: string): HTMLElement {
  return h(
    'div',
    { class: `stat ${cls}` },
    h('span', { class: 'stat-value' }, value),
    h('span', { class: 'stat-label' }, label),
  )
}

function figuresRow(label: string, f: TaskFigures): HTMLElement {
  return h(
    'tr',
    { class: `deploy-${label.toLowerCase()}` },
    h('th', { scope: 'row' }, label),
    h('td', null, formatNumber(f.tasks)),
    h('td', null, formatPercent(f.success_rate)),
    h('td', null, formatDuration(f.avg_duration_ms)),
    h('td', null, formatCost(f.avg_cost, 'table')),
  )
}

export function drawDeploys(c: DeployComparison): Node[] {
  const out: Node[] = [
    h(
      'ul',
      { class: 'deploy-list' },
      ...c.deploys.map((d) => h('li', null, `v${d.version ?? '—'} · ${new Date(d.at).toLocaleString()}`)),
    ),
  ]
  if (c.change === null) {
    out.push(h('p', { class: 'muted deploy-none' }, 'No version change in this range'))
    return out
  }
  out.push(
    h(
      'p',
      { class: 'deploy-change' },
      `Latest change: v${c.change.from ?? '—'} → v${c.change.to ?? '—'} at ${clockTime(c.change.at)}`,
    ),
    h(
      'table',
      { class: 'deploy-table' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['', 'Tasks', 'Success', 'Avg duration', 'Cost per task'].map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      h('tbody', null, figuresRow('Before', c.before), figuresRow('After', c.after)),
    ),
  )
  return out
}

export function createAgentMetricsTab(deps: EndpointDeps, drill: DrillDeps): Panel<State> {
  const summary = endpointPanel<Metrics>(deps, {
    key: 'metrics',
    className: 'agent-metrics',
    label: 'Metrics',
    heading: { level: 'h3', text: 'Metrics' },
    isEmpty: (m) => m.summary.total_tasks === 0 && m.summary.llm_call_count === 0,
    emptyText: (state) => `No tasks in the last ${state.url.range}`,
    draw: (m) => {
      const s = m.summary
      return [
        h(
          'div',
          { class: 'ribbon' },
          stat('Completed', formatNumber(s.completed), 'm-completed'),
          stat('Failed', formatNumber(s.failed), 'm-failed'),
          stat('Success rate', formatPercent(s.success_rate), 'm-success'),
          stat('Avg duration', formatDuration(s.avg_duration_ms), 'm-duration'),
          stat('Cost', formatCost(s.total_cost, 'ribbon'), 'm-cost'),
          stat('LLM calls', formatNumber(s.llm_call_count), 'm-calls'),
        ),
      ]
    },
  })
  const deploys = endpointPanel<DeployComparison>(deps, {
    key: 'deploys',
    className: 'agent-deploys',
    label: 'Deploys',
    heading: { level: 'h3', text: 'Deploys' },
    isEmpty: (c) => c.deploys.length === 0,
    emptyText: (state) => `No registrations in the last ${state.url.range}`,
    draw: drawDeploys,
  })
  const costByModel = endpointPanel<CostSummary>(deps, {
    key: 'cost',
    className: 'agent-cost',
    label: 'Cost by model',
    isEmpty: (c) => c.call_count === 0,
    emptyText: (state) => `No LLM calls in the last ${state.url.range}`,
    draw: (c, state) => [byModel(c, 'Cost by model', drill, { agent_id: state.url.agent })],
  })
  const parts = [summary, createMetricCharts(deps), costByModel, deploys]
  return {
    dom: h('div', { class: 'agent-metrics-tab' }, ...parts.map((p) => p.dom)),
    update(state) {
      for (const p of parts) p.update(state)
    },
    destroy() {
      for (const p of parts) p.destroy()
    },
  }
}
