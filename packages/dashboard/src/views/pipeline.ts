/** Fleet Pipeline (dashboard.md D48): totals and per-agent rows; a row opens the agent's pipeline tab. */
import { formatAgo, formatNumber } from '../lib/format.js'
import { h, type Panel } from '../lib/h.js'
import type { State } from '../store/state.js'
import type { AgentStatus } from '@hiveboard/shared'
import { agentBadge } from './common.js'
import { endpointPanel, type EndpointDeps } from './endpoint.js'

interface FleetPipeline {
  totals: { queue_depth: number; active_issues: number; active_todos: number; scheduled_count: number }
  agents: {
    agent_id: string
    derived_status: AgentStatus
    queue_depth: number
    oldest_age_seconds: number | null
    active_todos: number
    active_issues: number
    scheduled_count: number
  }[]
}

export interface PipelineDeps extends EndpointDeps {
  openAgentPipeline: (id: string) => void
}

export function needsAttention(a: FleetPipeline['agents'][number]): boolean {
  return a.queue_depth > 5 || (a.oldest_age_seconds ?? 0) > 300 || a.active_issues > 0
}

export function createPipelineView(deps: PipelineDeps): Panel<State> {
  return endpointPanel<FleetPipeline>(deps, {
    key: 'fleet-pipeline',
    className: 'pipeline-view',
    label: 'Fleet pipeline',
    heading: { level: 'h2', text: 'Fleet Pipeline' },
    isEmpty: (p) => p.agents.length === 0,
    emptyText: () => 'No pipeline data reported',
    draw: (p) => drawPipeline(p, deps),
  })
}

function drawPipeline(p: FleetPipeline, deps: PipelineDeps): Node[] {
  const t = p.totals
  const rows = p.agents.map((a) => {
    const q = h('td', { class: a.queue_depth > 5 ? 'warn' : '' }, formatNumber(a.queue_depth))
    const tr = h(
      'tr',
      { class: 'pipeline-row', tabindex: 0, 'data-agent-id': a.agent_id },
      h('td', null, a.agent_id),
      h('td', null, agentBadge(a.derived_status)),
      q,
      h('td', null, a.oldest_age_seconds === null ? '—' : formatAgo(a.oldest_age_seconds)),
      h('td', null, String(a.active_todos)),
      h('td', null, String(a.active_issues)),
      h('td', null, String(a.scheduled_count)),
      h('td', { class: 'warn' }, needsAttention(a) ? 'Needs attention' : ''),
    )
    tr.addEventListener('click', () => deps.openAgentPipeline(a.agent_id))
    tr.addEventListener('keydown', (ev) => ev.key === 'Enter' && deps.openAgentPipeline(a.agent_id))
    return tr
  })
  return [
    h(
      'div',
      { class: 'ribbon' },
      ...(
        [
          ['Queued', t.queue_depth],
          ['Active issues', t.active_issues],
          ['Active TODOs', t.active_todos],
          ['Scheduled', t.scheduled_count],
        ] as const
      ).map(([label, v]) =>
        h(
          'div',
          { class: 'stat' },
          h('span', { class: 'stat-value' }, formatNumber(v)),
          h('span', { class: 'stat-label' }, label),
        ),
      ),
    ),
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ...['Agent', 'Status', 'Queue', 'Oldest', 'TODOs', 'Issues', 'Scheduled', ''].map((x) =>
            h('th', { scope: 'col' }, x),
          ),
        ),
      ),
      h('tbody', null, ...rows),
    ),
  ]
}
