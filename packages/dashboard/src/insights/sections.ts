/** Insights sections (dashboard.md D54–D57) rendered from one `/v1/insights` response; text only. */
import { formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import { h } from '../lib/h.js'
import * as f from './formulas.js'
import { listTable, sparkline, statusBar } from './widgets.js'
import { readPreference, writePreference } from '../lib/preferences.js'

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
    by_agent?: { agent_id: string; cost: number; share_percent: number }[]
    top_calls?: {
      event_id: string
      agent_id: string
      name: string | null
      model: string | null
      cost: number | null
      tokens_in: number | null
    }[]
  }
  timeseries: {
    tasks_completed: number
    error_count: number
    cost: number | null
    cost_per_task: number | null
    avg_duration_ms: number | null
    success_rate?: number | null
  }[]
  error_types?: { event_type: string; count: number; agents: number }[]
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

/** D55: a card's per-bucket sparkline, labelled with the card's title, latest value and trend (D65). */
function withSpark(el: HTMLElement, values: (number | null)[]): HTMLElement {
  const title = el.dataset.card ?? ''
  const value = el.querySelector('.stat-value')?.textContent ?? ''
  const trend = el.querySelector('.muted')?.textContent ?? ''
  el.append(sparkline(values, `${title} per bucket, latest ${value}${trend === '' ? '' : `, ${trend}`}`))
  return el
}

/** One collapsible Insights section (D54): open state stored per browser; cards and extra blocks inside. */
export function createSection(
  id: string,
  title: string,
  tag: string,
): { dom: HTMLDetailsElement; cards: HTMLElement; extras: HTMLElement } {
  const open = readPreference(`hb_insights_${id}`) !== 'closed'
  const summary = h('summary', { 'aria-expanded': String(open) }, `${title} `, h('span', { class: 'muted' }, tag))
  const cards = h('div', { class: 'insight-cards' })
  const extras = h('div', { class: 'insight-extras' })
  const d = h('details', { class: `insight-section sec-${id}`, open }, summary, cards, extras)
  d.addEventListener('toggle', () => {
    summary.setAttribute('aria-expanded', String(d.open))
    writePreference(`hb_insights_${id}`, d.open ? 'open' : 'closed')
  })
  return { dom: d, cards, extras }
}

export interface InsightsParts {
  glance: Node[]
  optimization: Node[]
  review: Node[]
}

/** `lastEventAgeSeconds`: age of the newest event (readiness "an event in 5 min"), null when unknown. */
export interface RoiInputs {
  ratePerHour: number
  minutesPerTask: number
}

export const DEFAULT_ROI: RoiInputs = { ratePerHour: 75, minutesPerTask: 30 }

export function renderInsights(
  d: Insights,
  lastEventAgeSeconds: number | null,
  roiInputs: RoiInputs = DEFAULT_ROI,
): InsightsParts {
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
  const roi = f.roi({ ...roiInputs, tasksCompleted: d.tasks.completed, aiCost: d.cost.total_cost })
  const sr = d.tasks.success_rate
  const verdict = f.verdict(trends)
  const ribbon = (...cards: HTMLElement[]) => h('div', { class: 'ribbon' }, ...cards)
  const last = ts[ts.length - 1]
  const lastSuccess = [...ts].reverse().find((b) => b.success_rate !== undefined && b.success_rate !== null)
  const byAgent = (d.cost.by_agent ?? []).slice(0, 8)
  const topCalls = d.cost.top_calls ?? []
  const errorTypes = d.error_types ?? []
  return {
    glance: [
      ribbon(
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
            .map(
              (s) =>
                `${s.agent_id} (${formatDuration((s.heartbeat_age_seconds ?? 0) * 1000)} / ${formatDuration(s.stuck_threshold_seconds * 1000)}${s.current_task_id === null ? '' : ` · ${s.current_task_id}`})`,
            )
            .join(', '),
          d.fleet.stuck_agents.length > 0 ? 'bad' : 'good',
        ),
        withSpark(
          card('Throughput', formatNumber(last?.tasks_completed ?? null), t(trends.throughput)),
          ts.map((b) => b.tasks_completed),
        ),
        withSpark(
          card(
            'Success rate',
            formatPercent(lastSuccess?.success_rate ?? null),
            t(f.trend(ts.map((b) => b.success_rate ?? null))),
          ),
          ts.map((b) => b.success_rate ?? null),
        ),
        withSpark(
          card('Errors', formatNumber(last?.error_count ?? null), t(trends.errors)),
          ts.map((b) => b.error_count),
        ),
        withSpark(
          card('Cost per task', formatCost(d.cost.avg_cost_per_task, 'table'), t(trends.costPerTask)),
          ts.map((b) => b.cost_per_task),
        ),
      ),
      statusBar(d.fleet.by_status, d.fleet.total),
    ],
    optimization: [
      ribbon(
        card('Spend', formatCost(d.cost.total_cost, 'ribbon')),
        card('Calls per task', d.cost.calls_per_task === null ? '—' : d.cost.calls_per_task.toFixed(1)),
        card('Token ratio', d.cost.token_ratio === null ? '—' : d.cost.token_ratio.toFixed(1)),
        card('Escalation rate', formatPercent(d.tasks.escalation_rate)),
        card('Human intervention', formatPercent(d.tasks.human_intervention_rate)),
        ...detectors.map(([name, level]) =>
          card(name, level === null ? 'OK' : level, '', level === 'error' ? 'bad' : level === 'warn' ? 'warn' : 'good'),
        ),
      ),
      h(
        'div',
        { class: 'insight-lists' },
        listTable(
          'by-model',
          'By model',
          d.cost.by_model.map((m) => [
            m.model,
            `${formatCost(m.cost, 'table')} · ${formatPercent(m.share_percent)}`,
            m.share_percent,
          ]),
          'No LLM calls',
        ),
        listTable(
          'by-agent',
          'By agent (top 8)',
          byAgent.map((a) => [
            a.agent_id,
            `${formatCost(a.cost, 'table')} · ${formatPercent(a.share_percent)}`,
            a.share_percent,
          ]),
          'No LLM calls',
        ),
        listTable(
          'top-calls',
          'Most expensive calls',
          topCalls.map((c) => [
            `${c.agent_id} · ${c.name ?? '—'} → ${c.model ?? '—'}`,
            formatCost(c.cost, 'table'),
            null,
          ]),
          'No LLM calls',
        ),
        listTable(
          'error-types',
          'Error types',
          errorTypes.map((e) => [e.event_type, `${e.count} · ${e.agents} agent${e.agents === 1 ? '' : 's'}`, null]),
          'No errors',
        ),
      ),
    ],
    review: [
      ribbon(
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
        card(
          'Utilization',
          formatPercent(d.fleet.utilization_percent),
          `idle with queue: ${d.fleet.idle_with_queue.agents} agent${d.fleet.idle_with_queue.agents === 1 ? '' : 's'}, ${d.fleet.idle_with_queue.queued_items} items`,
          d.fleet.idle_with_queue.agents > 0 ? 'warn' : '',
        ),
        card('Most reliable', d.agent_ranking[0]?.agent_id ?? '—'),
      ),
    ],
  }
}
