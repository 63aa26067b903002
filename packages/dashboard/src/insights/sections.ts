/** Insights sections (dashboard.md D54–D57) rendered from one `/v1/insights` response; text only. */
import { formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import { h } from '../lib/h.js'
import * as f from './formulas.js'

export interface Insights {
  fleet: {
    total: number
    online: number
    by_status: Record<string, number>
    needs_attention: { total: number; stuck: number; error: number; waiting_approval: number; active_issues: number }
    utilization_percent: number | null
    stuck_agents: {
      agent_id: string
      heartbeat_age_seconds: number | null
      stuck_threshold_seconds: number
      current_task_id: string | null
    }[]
    idle_with_queue: { agents: number; queued_items: number }
  }
  tasks: {
    total: number
    completed: number
    failed: number
    success_rate: number | null
    avg_duration_ms: number | null
    escalation_rate: number | null
    human_intervention_rate: number | null
  }
  cost: {
    total_cost: number
    avg_cost_per_task: number | null
    calls_per_task: number | null
    token_ratio: number | null
    by_model: { model: string; cost: number; share_percent: number }[]
  }
  timeseries: {
    tasks_completed: number
    error_count: number
    cost: number | null
    cost_per_task: number | null
    avg_duration_ms: number | null
  }[]
  agent_ranking: { agent_id: string; tasks_completed: number; success_rate: number | null; total_cost: number | null }[]
}

const TREND_GLYPH: Record<string, string> = { up: '▲', down: '▼', flat: '▬' }

function card(title: string, value: string, note = '', cls = ''): HTMLElement {
  return h(
    'div',
    { class: `stat insight ${cls}`, 'data-card': title },
    h('span', { class: 'stat-value' }, value),
    h('span', { class: 'stat-label' }, title),
    note === '' ? null : h('span', { class: 'muted' }, note),
  )
}

function section(id: string, title: string, tag: string, children: HTMLElement[]): HTMLElement {
  const open = localStorage.getItem(`hb_insights_${id}`) !== 'closed'
  const d = h(
    'details',
    { class: `insight-section sec-${id}`, open },
    h('summary', null, `${title} `, h('span', { class: 'muted' }, tag)),
    h('div', { class: 'ribbon' }, ...children),
  )
  d.addEventListener('toggle', () => localStorage.setItem(`hb_insights_${id}`, d.open ? 'open' : 'closed'))
  return d
}

/** `lastEventAgeSeconds`: age of the newest event (readiness "an event in 5 min"), null when unknown. */
export function renderInsights(d: Insights, lastEventAgeSeconds: number | null): HTMLElement[] {
  const ts = d.timeseries
  const trends = {
    throughput: f.trend(ts.map((b) => b.tasks_completed)),
    errors: f.trend(ts.map((b) => b.error_count)),
    costPerTask: f.trend(ts.map((b) => b.cost_per_task)),
    duration: f.trend(ts.map((b) => b.avg_duration_ms)),
  }
  const t = (x: f.Trend) => (x === null ? '' : `${TREND_GLYPH[x]} ${x}`)
  const na = d.fleet.needs_attention
  const attentionCls = na.total === 0 ? 'good' : na.stuck + na.error > 0 ? 'bad' : 'warn'
  const detectors: [string, f.Level][] = [
    ['Cost spike', f.costSpike(ts.map((b) => b.cost ?? 0))],
    ['Error burst', f.errorBurst(ts.map((b) => b.error_count))],
    ['Stuck fleet', f.stuckFleet(d.fleet.total, na.stuck, na.error)],
    ['Token waste', f.tokenWaste(d.cost.token_ratio)],
    ['Throughput drop', f.throughputDrop(ts.map((b) => b.tasks_completed))],
    ['Model imbalance', f.modelImbalance(d.cost.by_model.map((m) => m.share_percent))],
  ]
  const health = f.health({
    agents: d.fleet.total,
    stuck: na.stuck,
    error: na.error,
    successRate: d.tasks.success_rate,
    activeIssues: na.active_issues,
  })
  const ready = f.readiness({
    total: d.fleet.total,
    online: d.fleet.online,
    stuck: na.stuck,
    successRate: d.tasks.success_rate,
    activeIssues: na.active_issues,
    costPerTask: d.cost.avg_cost_per_task,
    lastEventAgeSeconds,
  })
  const roi = f.roi({ tasksCompleted: d.tasks.completed, aiCost: d.cost.total_cost })
  const sr = d.tasks.success_rate
  const verdict = f.verdict(trends)
  return [
    section('glance', 'Glance', '~2 s', [
      card(
        'Fleet',
        `${d.fleet.total}`,
        Object.entries(d.fleet.by_status)
          .map(([k, v]) => `${k} ${v}`)
          .join(' · '),
      ),
      card('Needs attention', String(na.total), '', attentionCls),
      card(
        'Stuck agents',
        String(d.fleet.stuck_agents.length),
        d.fleet.stuck_agents
          .map((s) => `${s.agent_id} (${formatDuration((s.heartbeat_age_seconds ?? 0) * 1000)})`)
          .join(', '),
      ),
      card('Throughput', formatNumber(ts[ts.length - 1]?.tasks_completed ?? null), t(trends.throughput)),
      card('Errors', formatNumber(ts[ts.length - 1]?.error_count ?? null), t(trends.errors)),
      card('Cost per task', formatCost(d.cost.avg_cost_per_task, 'table'), t(trends.costPerTask)),
    ]),
    section('optimization', 'Optimization', '10–15 min', [
      card('Spend', formatCost(d.cost.total_cost, 'ribbon')),
      card('Calls per task', d.cost.calls_per_task === null ? '—' : d.cost.calls_per_task.toFixed(1)),
      card('Token ratio', d.cost.token_ratio === null ? '—' : d.cost.token_ratio.toFixed(1)),
      card('Escalation rate', formatPercent(d.tasks.escalation_rate)),
      ...detectors.map(([name, level]) =>
        card(name, level === null ? 'OK' : level, '', level === 'error' ? 'bad' : level === 'warn' ? 'warn' : 'good'),
      ),
    ]),
    section('review', 'Review', '20–30 min', [
      card('Completed', formatNumber(d.tasks.completed)),
      card('Success rate', formatPercent(sr), '', sr === null ? '' : sr >= 95 ? 'good' : sr >= 80 ? 'warn' : 'bad'),
      card('Avg duration', formatDuration(d.tasks.avg_duration_ms), t(trends.duration)),
      card('Verdict', verdict, '', verdict === 'green' ? 'good' : verdict === 'amber' ? 'warn' : 'bad'),
      card('Fleet health', `${health.score} ${health.label}`, health.deductions.join(' · ')),
      card('Scale readiness', `${ready.passed}/7 ${ready.label}`),
      card(
        'ROI',
        roi.multiple === null ? '—' : `${roi.multiple.toFixed(1)}×`,
        `manual ${formatCost(roi.manual, 'ribbon')} vs AI ${formatCost(roi.ai, 'ribbon')}`,
      ),
      card('Most reliable', d.agent_ranking[0]?.agent_id ?? '—'),
    ]),
  ]
}
