/**
 * Insights page (dashboard.md D54–D56): four collapsible sections; every data source is its own block with the
 * D21 states (loading, empty, error with Retry) so one failing endpoint never blanks another.
 * - `/v1/insights` every 60 s → the Glance, Optimization and Review cards;
 * - agents and the 20 newest events (LIVE under 10 s) live over the dashboard's socket client (live.ts);
 * - Investigation for the agent select (default: first in attention order): `/v1/agents/{id}/pipeline` and
 *   `/v1/tasks?agent_id=&limit=10`;
 * - failing actions and failed plan steps from bounded event scans; agent reliability from
 *   `/v1/metrics?group_by=agent`.
 * URL: `range`, `agent`, `env`, `project` (replaceState).
 */
import type { WireAgent } from '@hiveboard/shared'
import type { Booted } from '../app/boot.js'
import { formatAgoPhrase, formatCost, formatDuration, formatNumber, formatPercent } from '../lib/format.js'
import { Disposables, h, setText } from '../lib/h.js'
import { parseUrlState, RANGES, serializeUrlState, type Range, type UrlState } from '../lib/url.js'
import { agentBadge } from '../views/common.js'
import { Block } from './block.js'
import { deploysBlock, failingBlock, recentTasksBlock, reliabilityBlock } from './blocks.js'
import { drawPipeline, stat, type AgentPipeline } from './investigation.js'
import { createInsightsLive } from './live.js'
import { createSection, DEFAULT_ROI, renderInsights, type Insights } from './sections.js'
import { readRoi, roiForm, writeRoi } from './widgets.js'

const INSIGHTS_MS = 60_000
const LIVE_SECONDS = 10

export function startInsights(b: Booted, root: HTMLElement): void {
  const { api } = b
  const bag = new Disposables()
  let url: UrlState = parseUrlState(location.search)
  // Insights defaults to 24 h (api.md §4.8) where the dashboard defaults to 1 h, so a chosen 1 h stays in the URL.
  let rangeChosen = new URLSearchParams(location.search).has('range')
  const range = (): Range => (rangeChosen ? url.range : '24h')
  const scope = () => ({ environment: url.env, project_id: url.project })
  const setUrl = (patch: Partial<UrlState>) => {
    url = { ...url, ...patch }
    const search = serializeUrlState(url)
    const kept = rangeChosen && url.range === '1h' ? `${search === '' ? '?' : `${search}&`}range=1h` : search
    history.replaceState(null, '', `${location.pathname}${kept}`)
  }

  let roiInputs = readRoi(DEFAULT_ROI)

  // Agents: the select, the Investigation header and the "first in attention order" default.
  let agents: WireAgent[] = []
  let agentsAt = 0
  const select = h('select', { class: 'agent-select', 'aria-label': 'Agent to investigate' })
  const selected = (): WireAgent | undefined =>
    agents.find((a) => a.agent_id === url.agent) ?? (url.agent === null ? agents[0] : undefined)
  select.addEventListener('change', () => {
    setUrl({ agent: select.value })
    drawInvestigation()
    void pipeline.load()
    void tasks.load()
    void deploys.load()
  })

  const insights = new Block<Insights>(
    'insights-cards',
    null,
    () => api.get<Insights>('/v1/insights', { range: range(), ...scope() }),
    () => false,
    () => '',
    (d) => {
      const parts = renderInsights(d, newestAgeSeconds(), roiInputs)
      glance.cards.replaceChildren(...parts.glance)
      optimization.cards.replaceChildren(...parts.optimization)
      review.cards.replaceChildren(...parts.review)
      return []
    },
  )

  const live = createInsightsLive(b, scope, onAgents, (e) =>
    investigationHead.replaceChildren(
      h('p', { class: 'error-text' }, e instanceof Error ? e.message : 'Agents could not be loaded'),
    ),
  )
  const { events } = live
  const liveTag = h('span', { class: 'live-tag', hidden: true }, 'LIVE')
  const newestAgeSeconds = (): number | null => {
    const newest = events.data?.[0]?.timestamp
    return newest === undefined ? null : (api.clock.now() - Date.parse(newest)) / 1000
  }

  // Investigation (D55): header from the agent list, pipeline and recent tasks from their endpoints.
  const investigationHead = h('div', { class: 'investigation-head' })
  const heartbeatBar = h('span', { class: 'hb-bar-fill' })
  const pipeline = new Block<AgentPipeline>(
    'investigation-pipeline',
    'Queue and issues',
    () => {
      const a = selected()
      if (a === undefined) return Promise.reject(new Error('No agent selected'))
      return api.get<AgentPipeline>(`/v1/agents/${encodeURIComponent(a.agent_id)}/pipeline`)
    },
    () => false,
    () => '',
    (p) => drawPipeline(p, selected()),
  )
  const tasks = recentTasksBlock(api, () => selected()?.agent_id, scope)
  const failing = failingBlock(api, range, scope)
  const reliability = reliabilityBlock(api, range, scope)
  const deploys = deploysBlock(api, () => selected()?.agent_id, range, scope)
  const glance = createSection('glance', 'Glance', '~2 s')
  const investigation = createSection('investigation', 'Investigation', '2–5 min')
  const optimization = createSection('optimization', 'Optimization', '10–15 min')
  const review = createSection('review', 'Review', '20–30 min')
  const eventsHead = events.dom.querySelector('h4')
  eventsHead?.append(' ', liveTag)
  glance.extras.append(events.dom)
  investigation.cards.append(
    h('label', { class: 'agent-pick' }, 'Agent ', select),
    investigationHead,
    h('div', { class: 'hb-bar', role: 'presentation' }, heartbeatBar),
  )
  investigation.extras.append(pipeline.dom, tasks.dom)
  optimization.extras.append(failing.dom)
  review.extras.append(
    roiForm(roiInputs, (v) => {
      roiInputs = v
      writeRoi(v)
      insights.redraw()
    }),
    reliability.dom,
    deploys.dom,
  )

  function drawSelect(): void {
    const want = selected()?.agent_id ?? ''
    const current = [...select.options].map((o) => o.value).join('\n')
    if (current !== agents.map((a) => a.agent_id).join('\n')) {
      select.replaceChildren(...agents.map((a) => h('option', { value: a.agent_id }, a.agent_id)))
    }
    select.value = want
  }

  function drawInvestigation(): void {
    const a = selected()
    if (a === undefined) {
      investigationHead.replaceChildren(
        h('p', { class: 'muted' }, agents.length === 0 ? 'No agents yet' : `Agent ${url.agent ?? ''} not found`),
      )
      return
    }
    const s = a.stats_1h
    investigationHead.replaceChildren(
      h(
        'div',
        { class: 'ribbon investigation-ribbon' },
        stat('Status', agentBadge(a.derived_status), 'inv-status'),
        stat('Task', a.current_task_id ?? '—', 'inv-task'),
        stat('Elapsed', h('span', { class: 'inv-elapsed-value' }, '—'), 'inv-elapsed'),
        stat('Completed 1h', formatNumber(s.tasks_completed), 'inv-completed'),
        stat('Failed 1h', formatNumber(s.tasks_failed), 'inv-failed'),
        stat('Success 1h', formatPercent(s.success_rate), 'inv-success'),
        stat('Cost 1h', formatCost(s.total_cost, 'table'), 'inv-cost'),
      ),
      ...(a.processing_summary === null ? [] : [h('p', { class: 'muted' }, a.processing_summary)]),
    )
    tick()
  }

  /** Per second: heartbeat bar (age ÷ threshold, amber over 50 %), elapsed, LIVE tag, "Updated N ago". */
  function tick(): void {
    const a = selected()
    if (a !== undefined) {
      const age = a.heartbeat_age_seconds === null ? null : a.heartbeat_age_seconds + (Date.now() - agentsAt) / 1000
      const ratio = age === null ? 1 : age / a.stuck_threshold_seconds
      heartbeatBar.style.width = `${Math.min(100, Math.round(ratio * 100))}%`
      heartbeatBar.className = `hb-bar-fill ${ratio > 1 ? 'bad' : ratio > 0.5 ? 'warn' : 'good'}`
      heartbeatBar.parentElement?.setAttribute(
        'title',
        `Heartbeat ${age === null ? 'never' : formatAgoPhrase(age)} · threshold ${formatDuration(a.stuck_threshold_seconds * 1000)}`,
      )
      const elapsed = investigationHead.querySelector<HTMLElement>('.inv-elapsed-value')
      const task = tasks.data?.find((t) => t.task_id === a.current_task_id && t.completed_at === null)
      if (elapsed !== null)
        setText(elapsed, task === undefined ? '—' : formatDuration(api.clock.now() - Date.parse(task.started_at)))
    }
    const age = newestAgeSeconds()
    liveTag.hidden = age === null || age >= LIVE_SECONDS
    setText(updated, insightsAt === null ? '' : `Updated ${formatAgoPhrase((Date.now() - insightsAt) / 1000)}`)
  }

  function onAgents(list: WireAgent[], at: number): void {
    const before = selected()?.agent_id
    agents = list
    agentsAt = at
    drawSelect()
    drawInvestigation()
    if (selected()?.agent_id !== before) {
      void pipeline.load()
      void tasks.load()
      void deploys.load()
    }
  }

  let insightsAt: number | null = null
  const loadInsights = async () => {
    await insights.load()
    insightsAt = Date.now()
  }
  const refreshAll = () => {
    void loadInsights()
    void events.load()
    void live.loadAgents()
    void failing.load()
    void reliability.load()
    if (selected() !== undefined) {
      void pipeline.load()
      void tasks.load()
      void deploys.load()
    }
  }

  const updated = h('span', { class: 'muted updated' })
  const refresh = h('button', { type: 'button', class: 'refresh' }, 'Refresh')
  refresh.addEventListener('click', refreshAll)
  // §17 #29, #30, #34: trends up to 30 days.
  const rangeSelect = h(
    'select',
    { class: 'range-select', 'aria-label': 'Range' },
    ...RANGES.map((r) => h('option', { value: r }, r)),
  )
  rangeSelect.value = range()
  rangeSelect.addEventListener('change', () => {
    rangeChosen = true
    setUrl({ range: rangeSelect.value as Range })
    refreshAll()
  })
  const visible = (fn: () => void) => () => {
    if (document.visibilityState === 'visible') fn()
  }
  bag.interval(tick, 1000)
  bag.interval(
    visible(() => {
      void loadInsights()
      void failing.load()
      void reliability.load()
    }),
    INSIGHTS_MS,
  )

  root.replaceChildren(
    h(
      'header',
      { class: 'topbar' },
      h('a', { class: 'logo', href: '/static/index.html' }, '⬡ HiveBoard'),
      h(
        'nav',
        { class: 'nav' },
        h('a', { class: 'nav-tab', href: '/static/index.html' }, 'Mission Control'),
        h('a', { class: 'nav-tab', href: '/static/index.html?view=cost' }, 'Costs'),
        h('a', { class: 'nav-tab', href: '/static/index.html?view=pipeline' }, 'Pipeline'),
        h('a', { class: 'nav-tab', href: '/static/index.html?view=alerts' }, 'Alerts'),
        h('a', { class: 'nav-tab', href: '/static/insights.html', 'aria-current': 'page' }, 'Insights'),
      ),
      h('div', { class: 'topbar-right' }, updated, rangeSelect, live.pill, refresh),
    ),
    h(
      'main',
      { class: 'account-layout insights-page' },
      h('h1', null, 'Insights'),
      insights.dom,
      glance.dom,
      investigation.dom,
      optimization.dom,
      review.dom,
    ),
  )
  root.removeAttribute('aria-busy')
  // Events first: the readiness card needs the newest event's age.
  void events.load().then(() => loadInsights())
  void live.loadAgents()
  live.start()
  void failing.load()
  void reliability.load()
}
