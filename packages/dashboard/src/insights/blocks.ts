/** Insights blocks fed by their own endpoints (D55, D56): recent tasks, failing actions, agent reliability. */
import type { WireEvent, WireTask } from '@hiveboard/shared'
import type { ApiClient } from '../lib/api.js'
import { formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import { h } from '../lib/h.js'
import { deployComparison, type DeployComparison } from '../store/deploys.js'
import { drawDeploys } from '../views/agent-metrics.js'
import { taskBadge } from '../views/common.js'
import { Block, rangeStart, scan, type Page } from './block.js'
import { failedPlanSteps, failingActions } from './failing.js'

type Scope = () => { environment: string | null; project_id: string | null }

interface MetricsGroup {
  agent_id?: string
  tasks_completed: number
  tasks_failed: number
  success_rate: number | null
  total_cost: number | null
}

/** The agent's 10 newest tasks, each linking to its timeline on the dashboard. */
export function recentTasksBlock(api: ApiClient, agentId: () => string | undefined, scope: Scope): Block<WireTask[]> {
  return new Block<WireTask[]>(
    'investigation-tasks',
    'Recent tasks',
    async () => {
      const id = agentId()
      if (id === undefined) throw new Error('No agent selected')
      return (await api.get<Page<WireTask>>('/v1/tasks', { agent_id: id, limit: 10, ...scope() })).data
    },
    (list) => list.length === 0,
    () => 'No tasks yet',
    (list) => [
      h(
        'ul',
        { class: 'recent-tasks' },
        ...list.map((t) =>
          h(
            'li',
            null,
            h('a', { href: `/static/index.html?view=task&task=${encodeURIComponent(t.task_id)}` }, t.task_id),
            ' ',
            taskBadge(t.derived_status),
            h(
              'span',
              { class: 'muted' },
              ` · ${t.task_type ?? '—'} · ${formatDuration(t.duration_ms)} · ${formatCost(t.total_cost, 'table')}`,
            ),
          ),
        ),
      ),
    ],
  )
}

/** D56: action failures by action and exception type, failed plan steps by text (≤ 1,000 events each). */
export function failingBlock(
  api: ApiClient,
  range: () => string,
  scope: Scope,
): Block<{ actions: ReturnType<typeof failingActions>; steps: ReturnType<typeof failedPlanSteps> }> {
  return new Block<{ actions: ReturnType<typeof failingActions>; steps: ReturnType<typeof failedPlanSteps> }>(
    'failing-actions',
    'Failing actions',
    async () => {
      const since = rangeStart(api, range())
      const [failed, steps] = await Promise.all([
        scan(
          (cursor) =>
            api.get<Page<WireEvent>>('/v1/events', {
              event_type: 'action_failed',
              since,
              limit: 200,
              cursor,
              ...scope(),
            }),
          1000,
        ),
        scan(
          (cursor) =>
            api.get<Page<WireEvent>>('/v1/events', {
              payload_kind: 'plan_step',
              since,
              limit: 200,
              cursor,
              ...scope(),
            }),
          1000,
        ),
      ])
      return { actions: failingActions(failed), steps: failedPlanSteps(steps) }
    },
    (d) => d.actions.length === 0 && d.steps.length === 0,
    () => `No failed actions or plan steps in the last ${range()}`,
    (d) => [
      h(
        'ul',
        { class: 'failing-list' },
        ...d.actions.map((a) => h('li', null, `${a.action} · ${a.exception_type} ×${a.count}`)),
      ),
      d.steps.length === 0
        ? h('p', { class: 'muted' }, 'No failed plan steps')
        : h('ul', { class: 'failed-steps' }, ...d.steps.map((s) => h('li', null, `${s.step} ×${s.count}`))),
    ],
  )
}

/** D56 Review: `/v1/metrics?group_by=agent`, sortable by failures (default) or completed tasks. */
export function reliabilityBlock(api: ApiClient, range: () => string, scope: Scope): Block<MetricsGroup[]> {
  let reliabilitySort: 'failures' | 'completed' = 'failures'
  const reliability: Block<MetricsGroup[]> = new Block<MetricsGroup[]>(
    'agent-reliability',
    'Agent reliability',
    async () =>
      (
        await api.get<{ groups: MetricsGroup[] | null }>('/v1/metrics', {
          range: range(),
          group_by: 'agent',
          ...scope(),
        })
      ).groups ?? [],
    (g) => g.length === 0,
    () => `No tasks in the last ${range()}`,
    (groups) => {
      const sorted = [...groups].sort((a, b) =>
        reliabilitySort === 'failures'
          ? b.tasks_failed - a.tasks_failed || b.tasks_completed - a.tasks_completed
          : b.tasks_completed - a.tasks_completed || a.tasks_failed - b.tasks_failed,
      )
      const sortButton = (key: typeof reliabilitySort, label: string) => {
        const btn = h(
          'button',
          { type: 'button', class: 'link', 'aria-pressed': String(reliabilitySort === key) },
          label,
        )
        btn.addEventListener('click', () => {
          reliabilitySort = key
          reliability.redraw()
        })
        return btn
      }
      return [
        h(
          'table',
          { class: 'reliability-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              h('th', { scope: 'col' }, 'Agent'),
              h('th', { scope: 'col' }, sortButton('completed', 'Completed')),
              h('th', { scope: 'col' }, sortButton('failures', 'Failed')),
              h('th', { scope: 'col' }, 'Success'),
              h('th', { scope: 'col' }, 'Cost'),
            ),
          ),
          h(
            'tbody',
            null,
            ...sorted.map((g) =>
              h(
                'tr',
                { class: 'reliability-row', 'data-agent-id': g.agent_id ?? '' },
                h('td', null, g.agent_id ?? '—'),
                h('td', null, formatNumber(g.tasks_completed)),
                h('td', { class: g.tasks_failed > 0 ? 'bad' : '' }, formatNumber(g.tasks_failed)),
                h('td', null, formatPercent(g.success_rate)),
                h('td', null, formatCost(g.total_cost, 'table')),
              ),
            ),
          ),
        ),
      ]
    },
  )

  return reliability
}

/** D56 Review "deploys (D30)": the selected agent's versions and tasks before/after its latest version change. */
export function deploysBlock(
  api: ApiClient,
  agentId: () => string | undefined,
  range: () => string,
  scope: Scope,
): Block<DeployComparison> {
  return new Block<DeployComparison>(
    'insights-deploys',
    'Deploys',
    async () => {
      const id = agentId()
      if (id === undefined) throw new Error('No agent selected')
      const since = rangeStart(api, range())
      const [registrations, tasks] = await Promise.all([
        api.get<Page<WireEvent>>('/v1/events', { agent_id: id, event_type: 'agent_registered', since, limit: 200 }),
        api.get<Page<WireTask>>('/v1/tasks', { agent_id: id, since, limit: 200, ...scope() }),
      ])
      return deployComparison(registrations.data, tasks.data)
    },
    (c) => c.deploys.length === 0,
    () => `No registrations in the last ${range()}`,
    drawDeploys,
  )
}
