/** The Hive: agent cards in attention order (dashboard.md D23). */
import type { WireAgent } from '@hiveboard/shared'
import { formatAgo, formatDuration, heartbeatHealth } from '../lib/format.js'
import { Disposables, h, reconcile, setText, type Panel, type Row } from '../lib/h.js'
import type { State } from '../store/state.js'
import { PanelStatus, setAgentBadge, updateSparkline } from './common.js'
import { readPreference, writePreference } from '../lib/preferences.js'

export interface HiveDeps {
  now: () => number
  toggleAgentFilter: (id: string) => void
  openAgent: (id: string) => void
  openTask: (id: string) => void
  retry: () => void
  /** Extra per-card content owned elsewhere (D53 budget bars); called after each reconcile. */
  decorateCard?: (card: HTMLElement, agentId: string, state: State) => void
}

interface CardState {
  agent: WireAgent
  fetchedAt: number
}

function ageNow(c: CardState, now: number): number | null {
  if (c.agent.heartbeat_age_seconds === null) return null
  return c.agent.heartbeat_age_seconds + Math.max(0, (now - c.fetchedAt) / 1000)
}

function createCard(deps: HiveDeps, initial: CardState): Row<CardState> & { tick(now: number): void } {
  let cur = initial
  const name = h('span', { class: 'agent-name' })
  const badge = h('span', { class: 'badge' })
  const type = h('span', { class: 'agent-type muted' })
  const dot = h('span', { class: 'hb-dot', 'aria-hidden': 'true' })
  const age = h('span', { class: 'hb-age' })
  const barFill = h('span', { class: 'hb-bar-fill' })
  const bar = h('span', { class: 'hb-bar', role: 'meter', 'aria-label': 'Heartbeat age vs stuck threshold' }, barFill)
  const taskLink = h('button', { type: 'button', class: 'link task-link' })
  const taskLine = h('div', { class: 'card-task' }, '↳ ', taskLink)
  const summary = h('div', { class: 'card-summary muted' })
  const queue = h('span', { class: 'queue' })
  const issues = h('span', { class: 'issues' })
  const spark = h('span', { class: 'sparkline', role: 'img' })
  const meta = h('div', { class: 'card-meta muted' })
  const dom = h(
    'article',
    { class: 'agent-card', tabindex: 0, role: 'option' },
    h('div', { class: 'card-head' }, name, badge),
    h('div', { class: 'card-sub' }, type, h('span', { class: 'hb' }, dot, age), bar),
    taskLine,
    summary,
    h('div', { class: 'card-foot' }, queue, issues, spark),
    meta,
  )
  dom.addEventListener('click', (ev) => {
    if ((ev.target as HTMLElement).closest('.task-link') !== null) return
    deps.toggleAgentFilter(cur.agent.agent_id)
  })
  dom.addEventListener('dblclick', () => deps.openAgent(cur.agent.agent_id))
  dom.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || ev.target !== dom) return
    if (ev.shiftKey) deps.openAgent(cur.agent.agent_id)
    else deps.toggleAgentFilter(cur.agent.agent_id)
  })
  taskLink.addEventListener('click', () => {
    if (cur.agent.current_task_id !== null) deps.openTask(cur.agent.current_task_id)
  })

  const tick = (now: number) => {
    const a = cur.agent
    const seconds = ageNow(cur, now)
    const health = heartbeatHealth(seconds === null ? a.heartbeat_health : null, seconds, a.stuck_threshold_seconds)
    dot.className = `hb-dot hb-${health ?? 'none'}`
    setText(age, seconds === null ? 'no heartbeat' : `♥ ${formatAgo(seconds)}`)
    const ratio = seconds === null ? 0 : Math.min(1, seconds / a.stuck_threshold_seconds)
    barFill.style.width = `${Math.round(ratio * 100)}%`
    bar.classList.toggle('warn', ratio > 0.5)
    bar.setAttribute('aria-valuenow', String(Math.round(ratio * 100)))
  }

  return {
    dom,
    tick,
    update(c: CardState) {
      cur = c
      const a = c.agent
      dom.dataset.agentId = a.agent_id
      dom.className = `agent-card status-${a.derived_status}${a.is_stuck ? ' is-stuck' : ''}`
      setText(name, a.agent_id)
      setAgentBadge(badge, a.derived_status)
      setText(type, a.agent_type)
      taskLine.hidden = a.current_task_id === null
      setText(taskLink, a.current_task_id ?? '')
      setText(summary, a.processing_summary ?? '')
      summary.hidden = a.processing_summary === null
      const q = a.stats_1h.queue_depth
      setText(queue, q === null ? '' : `Q:${q}`)
      queue.classList.toggle('warn', q !== null && q > 5)
      setText(
        issues,
        a.stats_1h.active_issues > 0
          ? `⚠ ${a.stats_1h.active_issues} issue${a.stats_1h.active_issues > 1 ? 's' : ''}`
          : '',
      )
      updateSparkline(spark, a.sparkline_1h)
      const avg = a.stats_1h.avg_duration_ms
      setText(
        meta,
        [a.agent_version, a.framework, a.environment, avg === null ? null : `avg ${formatDuration(avg)}`]
          .filter((x) => x !== null && x !== '')
          .join(' · '),
      )
      dom.title = `version ${a.agent_version ?? '—'} · framework ${a.framework ?? '—'} · runtime ${a.runtime ?? '—'} · SDK ${a.sdk_version ?? '—'} · ${a.environment} · group ${a.group}`
      tick(deps.now())
    },
  }
}

const HIVE_COLLAPSED_KEY = 'hb_hive_collapsed'

/**
 * D17: under 760 px the Hive collapses behind its heading (the toggle is only shown there, by CSS); the attention
 * badge stays visible. The choice is a UI preference kept in localStorage (D68).
 */
function createHiveCollapse(): { button: HTMLButtonElement; bind: (hive: HTMLElement) => void } {
  const button = h('button', { type: 'button', class: 'hive-toggle', 'aria-controls': 'hive-list' })
  const apply = (hive: HTMLElement, collapsed: boolean) => {
    hive.classList.toggle('is-collapsed', collapsed)
    button.setAttribute('aria-expanded', String(!collapsed))
    setText(button, collapsed ? 'Show agents' : 'Hide agents')
  }
  return {
    button,
    bind(hive) {
      apply(hive, readPreference(HIVE_COLLAPSED_KEY) === '1')
      button.addEventListener('click', () => {
        const collapsed = !hive.classList.contains('is-collapsed')
        apply(hive, collapsed)
        writePreference(HIVE_COLLAPSED_KEY, collapsed ? '1' : '0')
      })
    },
  }
}

export function createHive(deps: HiveDeps): Panel<State> {
  const bag = new Disposables()
  const attention = h('span', { class: 'attention-badge', 'aria-label': 'Agents needing attention' })
  const status = new PanelStatus(deps.retry)
  const list = h('div', { class: 'hive-list', role: 'listbox', 'aria-label': 'Agents', id: 'hive-list' })
  const collapse = createHiveCollapse()
  const dom = h(
    'section',
    { class: 'hive', 'aria-label': 'The Hive' },
    h('div', { class: 'hive-head' }, h('h2', null, 'The Hive ', attention), collapse.button),
    status.dom,
    list,
  )
  collapse.bind(dom)
  const rows = new Map<string, Row<CardState> & { tick(now: number): void }>()
  bag.interval(() => {
    const now = deps.now()
    for (const row of rows.values()) row.tick(now)
  }, 1000)
  return {
    dom,
    update(state) {
      const agents = state.agents.data ?? []
      const filterStatus = state.url.status
      const shown = filterStatus === null ? agents : agents.filter((a) => a.derived_status === filterStatus)
      const need = agents.filter((a) => ['stuck', 'error', 'waiting_approval'].includes(a.derived_status)).length
      setText(attention, need > 0 ? String(need) : '')
      attention.hidden = need === 0
      const empty = agents.length === 0 ? 'No agents yet — connect one with the SDK' : 'No agents match the filter'
      status.update(
        { ...state.agents, data: state.agents.data === null ? null : shown },
        (d) => d.length === 0,
        empty,
        deps.now(),
      )
      const fetchedAt = state.agents.updatedAt ?? deps.now()
      const items = shown.map((agent) => ({ agent, fetchedAt }))
      reconcile(
        list,
        rows,
        items,
        (c) => c.agent.agent_id,
        (c) => createCard(deps, c),
      )
      for (const [id, row] of rows) {
        row.dom.classList.toggle('is-selected', state.url.agent === id)
        deps.decorateCard?.(row.dom, id, state)
      }
    },
    destroy() {
      bag.dispose()
    },
  }
}
