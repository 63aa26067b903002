/** Ribbon (dashboard.md D24): fleet counts that toggle the status filter, plus range metrics. */
import type { AgentStatus } from '@hiveboard/shared'
import { formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import { h, setText, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'

export interface RibbonDeps {
  toggleStatus: (status: AgentStatus) => void
}

function stat(label: string, cls: string): { dom: HTMLElement; value: HTMLElement } {
  const value = h('span', { class: 'stat-value' }, '—')
  return { dom: h('div', { class: `stat ${cls}` }, value, h('span', { class: 'stat-label' }, label)), value }
}

export function createRibbon(deps: RibbonDeps): Panel<State> {
  const total = stat('Total agents', 'total')
  const toggles: [AgentStatus, string][] = [
    ['processing', 'Processing'],
    ['waiting_approval', 'Waiting'],
    ['stuck', 'Stuck'],
    ['error', 'Errors'],
  ]
  const buttons = toggles.map(([status, label]) => {
    const value = h('span', { class: 'stat-value' }, '—')
    const dom = h(
      'button',
      { type: 'button', class: `stat stat-toggle status-${status}`, 'aria-pressed': 'false', 'data-status': status },
      value,
      h('span', { class: 'stat-label' }, label),
    )
    dom.addEventListener('click', () => deps.toggleStatus(status))
    return { status, dom, value }
  })
  const success = stat('Success rate', 'success')
  const duration = stat('Avg duration', 'duration')
  const cost = stat('Cost', 'cost')
  const calls = stat('LLM calls', 'calls')
  const metricsNote = h('span', { class: 'muted ribbon-note' })
  const dom = h(
    'section',
    { class: 'ribbon', 'aria-label': 'Fleet summary' },
    total.dom,
    ...buttons.map((b) => b.dom),
    success.dom,
    duration.dom,
    cost.dom,
    calls.dom,
    metricsNote,
  )
  return {
    dom,
    update(state) {
      const agents = state.agents.data
      setText(total.value, agents === null ? '—' : String(agents.length))
      for (const b of buttons) {
        setText(b.value, agents === null ? '—' : String(agents.filter((a) => a.derived_status === b.status).length))
        b.dom.setAttribute('aria-pressed', String(state.url.status === b.status))
      }
      const m = state.metrics.data?.summary ?? null
      setText(success.value, m === null ? '—' : formatPercent(m.success_rate))
      setText(duration.value, m === null ? '—' : formatDuration(m.avg_duration_ms))
      setText(cost.value, m === null ? '—' : formatCost(m.total_cost, 'ribbon'))
      setText(calls.value, m === null ? '—' : formatNumber(m.llm_call_count))
      setText(metricsNote, state.metrics.error === null ? '' : `Metrics unavailable: ${state.metrics.error.message}`)
    },
    destroy() {},
  }
}
