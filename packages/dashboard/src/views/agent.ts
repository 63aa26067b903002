/** Agent Detail (dashboard.md D28–D31): header from the store, tabs (tasks; pipeline/metrics/heartbeat by REST). */
import type { WireAgent } from '@hiveboard/shared'
import { formatAgoPhrase, formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import { clear, h, setText, type Panel } from '../lib/h.js'
import { AGENT_TABS, type AgentTab } from '../lib/url.js'
import type { State } from '../store/state.js'
import { PanelStatus, agentBadge } from './common.js'
import { createAgentMetricsTab } from './agent-metrics.js'
import type { DrillDeps } from './call-drill.js'
import type { EndpointDeps } from './endpoint.js'
import { createAgentPipelineTab } from './agent-pipeline.js'
import { createHeartbeatTab } from './heartbeat.js'
import { createTaskTable, type TasksDeps } from './tasks.js'

export interface AgentDeps {
  tasks: TasksDeps
  endpoint: EndpointDeps
  /** Cost by model rows drill into the agent's calls of that model (D30, D43). */
  drill: DrillDeps
  setTab: (tab: AgentTab) => void
  openTask: (id: string) => void
  back: () => void
  retry: () => void
  now: () => number
}

function kv(label: string, value: string | HTMLElement): HTMLElement {
  return h('div', { class: 'kv' }, h('dt', null, label), h('dd', null, value))
}

function header(a: WireAgent, deps: AgentDeps): HTMLElement {
  const s = a.stats_1h
  const task = a.current_task_id === null ? '—' : h('button', { type: 'button', class: 'link' }, a.current_task_id)
  if (typeof task !== 'string')
    task.addEventListener('click', () => a.current_task_id !== null && deps.openTask(a.current_task_id))
  return h(
    'dl',
    { class: 'kvs agent-header' },
    kv('Status', agentBadge(a.derived_status)),
    kv('Type', a.agent_type),
    kv('Version', a.agent_version ?? '—'),
    kv('Framework', a.framework ?? '—'),
    kv('Runtime', a.runtime ?? '—'),
    kv('SDK', a.sdk_version ?? '—'),
    kv('Environment', `${a.environment} · ${a.group}`),
    kv('Online since', new Date(a.first_seen).toLocaleString()),
    kv('Last seen', new Date(a.last_seen).toLocaleString()),
    kv(
      'Heartbeat',
      `${a.heartbeat_age_seconds === null ? 'none' : formatAgoPhrase(a.heartbeat_age_seconds)} (threshold ${formatDuration(a.stuck_threshold_seconds * 1000)})`,
    ),
    kv('Current task', task),
    kv('Summary', a.processing_summary ?? '—'),
    kv('Completed (1h)', formatNumber(s.tasks_completed)),
    kv('Failed (1h)', formatNumber(s.tasks_failed)),
    kv('Success (1h)', formatPercent(s.success_rate)),
    kv('Avg duration (1h)', formatDuration(s.avg_duration_ms)),
    kv('Cost (1h)', formatCost(s.total_cost, 'table')),
    kv('LLM calls (1h)', formatNumber(s.llm_call_count)),
    kv('Queue', s.queue_depth === null ? '—' : String(s.queue_depth)),
    kv('Active issues', String(s.active_issues)),
  )
}

export function createAgentView(deps: AgentDeps): Panel<State> {
  const status = new PanelStatus(deps.retry)
  const title = h('h2', null, 'Agent')
  const back = h('button', { type: 'button', class: 'link back' }, '← Back')
  back.addEventListener('click', deps.back)
  const headerBox = h('div')
  const tabs = AGENT_TABS.map((tab) => {
    const b = h(
      'button',
      { type: 'button', role: 'tab', class: 'tab', 'data-tab': tab, 'aria-selected': 'false' },
      tab[0]?.toUpperCase() + tab.slice(1),
    )
    b.addEventListener('click', () => deps.setTab(tab))
    return b
  })
  const tasks = createTaskTable(deps.tasks, 'Tasks')
  const pipeline = createAgentPipelineTab(deps.endpoint)
  const metrics = createAgentMetricsTab(deps.endpoint, deps.drill)
  const heartbeat = createHeartbeatTab(deps.endpoint)
  const panels: Record<AgentTab, Panel<State>> = { tasks, pipeline, metrics, heartbeat }
  const body = h('div', { class: 'tab-body', role: 'tabpanel' })
  const dom = h(
    'section',
    { class: 'agent-view', 'aria-label': 'Agent detail' },
    h('div', { class: 'panel-head' }, back, title),
    status.dom,
    headerBox,
    h('div', { class: 'tabs', role: 'tablist' }, ...tabs),
    body,
  )
  let drawn: WireAgent | null = null
  let shownTab: AgentTab | null = null
  return {
    dom,
    update(state) {
      const id = state.url.agent
      const fromStore = state.agents.data?.find((a) => a.agent_id === id) ?? null
      const a = fromStore ?? (state.agentDetail.data?.agent_id === id ? state.agentDetail.data : null)
      setText(title, id ?? '')
      const detail = state.agentDetail
      const err =
        fromStore === null && detail.error?.status === 404 ? { status: 404, message: 'Agent not found' } : detail.error
      status.update({ ...detail, data: a, error: a === null ? err : null }, () => false, '', deps.now())
      if (a !== drawn) {
        clear(headerBox)
        if (a !== null) headerBox.append(header(a, deps))
        drawn = a
      }
      for (const b of tabs) b.setAttribute('aria-selected', String(b.dataset.tab === state.url.tab))
      if (shownTab !== state.url.tab) {
        clear(body)
        body.append(panels[state.url.tab].dom)
        shownTab = state.url.tab
      }
      panels[state.url.tab].update(state)
    },
    destroy() {
      Object.values(panels).forEach((p) => p.destroy())
    },
  }
}
