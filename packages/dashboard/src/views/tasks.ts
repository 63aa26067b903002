/** Task table (dashboard.md D26): sortable, Load more, rows open the timeline. */
import type { WireTask } from '@hiveboard/shared'
import { clockTime, formatCost, formatDuration, formatNumber, formatTokens } from '../lib/format.js'
import { h, reconcile, setText, type Panel, type Row } from '../lib/h.js'
import type { State } from '../store/state.js'
import { PanelStatus, taskBadge } from './common.js'

export const TASK_SORTS = ['newest', 'oldest', 'duration', 'cost'] as const
export type TaskSort = (typeof TASK_SORTS)[number]

export interface TasksDeps {
  openTask: (id: string) => void
  loadMore: () => void
  setSort: (sort: TaskSort) => void
  retry: () => void
  now: () => number
}

/**
 * D26 (Beyond; §17 #22 "are tasks being silently dropped?"): a processing task whose elapsed time is over 3× its
 * agent's `stats_1h.avg_duration_ms` is running long. No average, no flag.
 */
export function isRunningLong(t: WireTask, agentAvgMs: number | null | undefined, now: number): boolean {
  if (t.derived_status !== 'processing' || t.completed_at !== null) return false
  if (agentAvgMs === null || agentAvgMs === undefined || agentAvgMs <= 0) return false
  return now - Date.parse(t.started_at) > 3 * agentAvgMs
}

function statusCell(t: WireTask, long: boolean): HTMLElement {
  const badge = taskBadge(t.derived_status)
  if (!long) return badge
  return h(
    'span',
    null,
    badge,
    ' ',
    h('span', { class: 'running-long', title: 'Over 3× the agent’s average' }, 'running long'),
  )
}

function cells(t: WireTask, now: number, agentAvgMs: number | null | undefined): (string | HTMLElement)[] {
  const duration = t.duration_ms ?? (t.completed_at === null ? now - Date.parse(t.started_at) : null)
  return [
    t.task_id,
    t.agent_id ?? '—',
    t.task_type ?? '—',
    statusCell(t, isRunningLong(t, agentAvgMs, now)),
    clockTime(t.started_at),
    formatDuration(duration),
    formatNumber(t.llm_call_count),
    `${formatTokens(t.total_tokens_in)}→${formatTokens(t.total_tokens_out)}`,
    formatCost(t.total_cost, 'table'),
    String(t.error_count),
    t.has_escalation ? '⚑' : '',
    t.has_human_intervention ? '☝' : '',
  ]
}

function createRow(
  deps: TasksDeps,
  initial: WireTask,
  agentAvg: (agentId: string | null) => number | null | undefined,
): Row<WireTask> {
  let cur = initial
  const dom = h('tr', { tabindex: 0, class: 'task-row' })
  const tds = Array.from({ length: 12 }, () => h('td'))
  dom.append(...tds)
  dom.addEventListener('click', () => deps.openTask(cur.task_id))
  dom.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') deps.openTask(cur.task_id)
  })
  return {
    dom,
    update(t) {
      cur = t
      dom.dataset.taskId = t.task_id
      cells(t, deps.now(), agentAvg(t.agent_id)).forEach((c, i) => {
        const td = tds[i]
        if (td === undefined) return
        if (typeof c === 'string') setText(td, c)
        else if (td.firstElementChild?.textContent !== c.textContent) td.replaceChildren(c)
      })
      if (tds[0] !== undefined) tds[0].className = 'mono'
    },
  }
}

const HEADERS = [
  'Task',
  'Agent',
  'Type',
  'Status',
  'Started',
  'Duration',
  'LLM',
  'Tokens in→out',
  'Cost',
  'Errors',
  '⚑',
  '☝',
]

export function createTaskTable(deps: TasksDeps, title = 'Tasks'): Panel<State> {
  const status = new PanelStatus(deps.retry)
  const body = h('tbody')
  const sort = h('select', { 'aria-label': 'Sort tasks', class: 'task-sort' })
  for (const s of TASK_SORTS) sort.append(h('option', { value: s }, s))
  sort.addEventListener('change', () => deps.setSort(sort.value as TaskSort))
  const more = h('button', { type: 'button', class: 'load-more' }, 'Load more')
  more.addEventListener('click', deps.loadMore)
  const table = h(
    'table',
    { class: 'task-table' },
    h('thead', null, h('tr', null, ...HEADERS.map((x) => h('th', { scope: 'col' }, x)))),
    body,
  )
  const dom = h(
    'section',
    { class: 'tasks-panel', 'aria-label': title },
    h('div', { class: 'panel-head' }, h('h2', null, title), h('label', null, 'Sort ', sort)),
    status.dom,
    h('div', { class: 'table-wrap' }, table),
    more,
  )
  const rows = new Map<string, Row<WireTask>>()
  let averages = new Map<string, number | null>()
  const agentAvg = (id: string | null) => (id === null ? null : averages.get(id))
  return {
    dom,
    update(state) {
      const filtered = state.url.agent !== null || state.url.status !== null
      const ok = status.update(
        state.tasks,
        (d) => d.items.length === 0,
        filtered ? 'No tasks match these filters' : 'No tasks in this range',
        deps.now(),
      )
      table.hidden = !ok
      averages = new Map((state.agents.data ?? []).map((a) => [a.agent_id, a.stats_1h.avg_duration_ms]))
      const items = state.tasks.data?.items ?? []
      reconcile(
        body,
        rows,
        items,
        (t) => `${t.task_id}|${t.task_run_id ?? ''}`,
        (t) => createRow(deps, t, agentAvg),
      )
      more.hidden = state.tasks.data?.hasMore !== true
      dom.classList.toggle('is-stale', state.tasks.error !== null)
    },
    destroy() {},
  }
}
