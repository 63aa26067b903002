/** Dashboard shell: layout (D17), URL state (D19), view switching, keyboard (D66), FMP mark (D70). */
import type { AgentStatus } from '@hiveboard/shared'
import type { ApiClient } from '../lib/api.js'
import type { Credential, HiveConfig } from '../lib/config.js'
import { clear, h, type Panel } from '../lib/h.js'
import { parseUrlState, serializeUrlState, type UrlState, type View } from '../lib/url.js'
import { LiveClient } from '../live/live.js'
import { initialState, type Loadable, type State } from '../store/state.js'
import { Store } from '../store/store.js'
import { canWriteAlerts } from '../store/budgets.js'
import { activityDrawer } from '../views/activity-drawer.js'
import { createAgentView } from '../views/agent.js'
import { createAlertBanners } from '../views/alert-banners.js'
import { createAlertsView } from '../views/alerts.js'
import { createNotifyControl } from '../views/notify-control.js'
import { createApprovals } from '../views/approvals.js'
import { createBudgetList, createRibbonBudget, decorateAgentCard } from '../views/budgets.js'
import { createBanners } from '../views/banners.js'
import { createCharts } from '../views/charts.js'
import { createCostView } from '../views/cost.js'
import { createPipelineView } from '../views/pipeline.js'
import type { DrillDeps } from '../views/call-drill.js'
import type { EndpointDeps, EndpointKey } from '../views/endpoint.js'
import { createHive } from '../views/hive.js'
import { openEventDetails } from '../views/modal.js'
import { createRibbon } from '../views/ribbon.js'
import { createFilterBar, createTopBar } from '../views/shell.js'
import { createStream } from '../views/stream.js'
import { createTaskTable, type TasksDeps } from '../views/tasks.js'
import { createTimelineView } from '../views/timeline.js'
import { AlertsController } from './alerts-controller.js'
import { DesktopNotifier } from './desktop-notifier.js'
import { installKeyboard } from './keyboard.js'
import { debounce, Loaders } from './loaders.js'

export interface AppOptions {
  root: HTMLElement
  config: HiveConfig
  api: ApiClient
  credential: Credential
  token: () => string | null
  forgetKey: () => void
  onDeadCredential: () => void
}

export function startDashboard(o: AppOptions): { store: Store; live: LiveClient } {
  const store = new Store(initialState(parseUrlState(location.search), o.config.streamCap))
  const loaders = new Loaders(o.api, store)
  const alerts = new AlertsController(o.api, store, localStorage)
  const now = () => Date.now()
  const refreshAgents = debounce(() => void loaders.agents(), 1000)
  const refreshTasks = debounce(() => void loaders.tasks(), 2000)
  const refreshTimeline = debounce(() => void loaders.timeline(), 1000)
  const refreshApprovals = debounce(() => void loaders.endpoint('approvals'), 2000)

  const urlNow = () => loaders.current ?? store.state.url
  const navigate = (patch: Partial<UrlState>, push: boolean) => {
    const next = { ...urlNow(), ...patch }
    const search = serializeUrlState(next)
    if (push) history.pushState(null, '', `${location.pathname}${search}`)
    else history.replaceState(null, '', `${location.pathname}${search}`)
    applyUrl(next)
  }
  const go = (view: View) => navigate({ view, task: null, run: null }, true)
  const openAgent = (id: string) => navigate({ view: 'agent', agent: id, tab: 'tasks', task: null }, true)
  const openTask = (id: string) => navigate({ view: 'task', task: id, run: null }, true)
  const toggleAgentFilter = (id: string) => navigate({ agent: urlNow().agent === id ? null : id }, false)
  const toggleStatus = (s: AgentStatus) => navigate({ status: urlNow().status === s ? null : s }, false)
  const back = () => (history.length > 1 ? history.back() : go('mission'))
  // D50 Beyond: a clicked desktop notification opens the alert's subject.
  const notifier = new DesktopNotifier((r) => {
    if (r.related_task_id !== null) openTask(r.related_task_id)
    else if (r.related_agent_id !== null) openAgent(r.related_agent_id)
    else go('alerts')
  })

  const endpointDeps: EndpointDeps = {
    get(key: EndpointKey, state: State): Loadable<unknown> {
      const id = loaders.endpointKey(key, state.url)
      const l = state.endpoints[id]
      if (l === undefined) {
        queueMicrotask(() => {
          if (store.state.endpoints[id] === undefined) void loaders.endpoint(key)
        })
        return { data: null, error: null, loading: true, updatedAt: null }
      }
      return l
    },
    reload: (key) => void loaders.endpoint(key),
    now,
  }
  const callsDeps: DrillDeps = {
    fetchCalls: (query) => o.api.get('/v1/llm-calls', query),
    since: () => loaders.rangeStart(),
  }
  const tasksDeps: TasksDeps = {
    openTask,
    loadMore: () => void loaders.tasks(true),
    setSort: (s) => {
      loaders.taskSort = s
      void loaders.tasks()
    },
    retry: () => void loaders.tasks(),
    now,
  }
  const shellDeps = {
    go,
    setRange: (range: UrlState['range']) => navigate({ range }, false),
    setEnv: (env: string | null) => navigate({ env }, false),
    clearFilters: () => navigate({ agent: null, status: null }, false),
    forgetKey: o.forgetKey,
    credential: o.credential,
  }
  const top = createTopBar(shellDeps)
  const filterBar = createFilterBar(shellDeps)
  const hive = createHive({
    now,
    toggleAgentFilter,
    openAgent,
    openTask,
    retry: () => void loaders.agents(),
    decorateCard: decorateAgentCard,
  })
  const ribbon = createRibbon({ toggleStatus })
  const charts = createCharts()
  const alertBanners = createAlertBanners({
    now,
    view: () => go('alerts'),
    dismiss: (ids) => alerts.dismiss(ids),
    openTask,
    openAgent,
  })
  const ribbonBudget = createRibbonBudget()
  const costBudgets = createBudgetList()
  const banners = createBanners({ openAgent, filterStuck: () => navigate({ view: 'mission', status: 'stuck' }, true) })
  const tasks = createTaskTable(tasksDeps)
  const stream = createStream({
    setFeed: (feed) => navigate({ feed }, false),
    toggleAgentFilter,
    openTask,
    openDetails: openEventDetails,
    retry: () => void loaders.events(),
    now,
  })
  const approvals = createApprovals({ ...endpointDeps, openTask })
  const mission: Panel<State> = {
    dom: h('div', { class: 'mission-view' }, approvals.dom, tasks.dom),
    update(state) {
      approvals.update(state)
      tasks.update(state)
    },
    destroy() {
      approvals.destroy()
      tasks.destroy()
    },
  }
  const views: Record<View, Panel<State>> = {
    mission,
    agent: createAgentView({
      tasks: tasksDeps,
      endpoint: endpointDeps,
      drill: callsDeps,
      setTab: (tab) => navigate({ tab }, false),
      openTask,
      back,
      retry: () => void loaders.agentDetail(),
      now,
    }),
    task: createTimelineView({
      setMode: (mode) => navigate({ mode }, false),
      openAgent,
      back,
      retry: () => void loaders.timeline(),
      now,
    }),
    cost: createCostView({
      ...endpointDeps,
      openAgent,
      openTask,
      ...callsDeps,
      setCallSort: (sort) => {
        loaders.callSort = sort
        void loaders.endpoint('llm-calls')
      },
    }),
    pipeline: createPipelineView({
      ...endpointDeps,
      openAgentPipeline: (id) => navigate({ view: 'agent', agent: id, tab: 'pipeline' }, true),
    }),
    alerts: createAlertsView({
      canWrite: canWriteAlerts(o.credential, localStorage.getItem('hb_user')),
      now,
      openAgent,
      openTask,
      reloadRules: () => void alerts.rules(),
      reloadHistory: () => void alerts.history(),
      loadMore: () => void alerts.history(true),
      setFilter: (f) => alerts.setFilter(f),
      save: (id, body) => alerts.save(id, body),
      setEnabled: (rule, on) => alerts.setEnabled(rule, on),
      remove: (id) => alerts.remove(id),
      test: (id) => alerts.test(id),
      notifyControl: createNotifyControl(notifier),
    }),
  }
  const centre = h('main', { class: 'centre', id: 'main' })
  const ribbonBox = h('div', { class: 'ribbon-box' }, ribbon.dom, ribbonBudget.dom, charts.dom)
  // D53: budgets right under the Cost Explorer heading.
  views.cost.dom.insertBefore(costBudgets.dom, views.cost.dom.children[1] ?? null)
  const layout = h(
    'div',
    { class: 'layout' },
    hive.dom,
    h('div', { class: 'centre-col' }, ribbonBox, centre),
    stream.dom,
  )
  const drawer = activityDrawer(layout, stream.dom)
  clear(o.root)
  o.root.append(top.dom, banners.dom, alertBanners.dom, filterBar.dom, layout, drawer)
  o.root.removeAttribute('aria-busy')

  let shownView: View | null = null
  let fmp = false
  store.subscribe((state) => {
    top.update(state)
    filterBar.update(state)
    banners.update(state)
    alertBanners.update(state)
    ribbonBudget.update(state)
    if (state.url.view === 'cost') costBudgets.update(state)
    alerts.observe(state)
    hive.update(state)
    ribbon.update(state)
    charts.update(state)
    ribbonBox.hidden = state.url.view !== 'mission'
    if (shownView !== state.url.view) {
      clear(centre)
      centre.append(views[state.url.view].dom)
      shownView = state.url.view
    }
    views[state.url.view].update(state)
    stream.update(state)
    if (!fmp && state.agents.data !== null) {
      fmp = true
      requestAnimationFrame(() => performance.mark('hb:fmp'))
    }
  })

  let prev: UrlState | null = null
  function applyUrl(url: UrlState) {
    const p = prev
    prev = url
    loaders.current = url
    store.dispatch({ type: 'url', url })
    const scopeChanged = p === null || p.env !== url.env || p.project !== url.project
    if (scopeChanged) {
      void loaders.agents()
      void loaders.events()
      if (p !== null) live.resubscribe()
    }
    if (scopeChanged || p?.range !== url.range) void loaders.metrics()
    const tasksShown = url.view === 'mission' || (url.view === 'agent' && url.tab === 'tasks')
    if (tasksShown && (scopeChanged || p?.view !== url.view || p.agent !== url.agent || p.range !== url.range)) {
      void loaders.tasks()
    }
    if (url.view === 'task' && (p?.task !== url.task || p.run !== url.run || p.view !== 'task')) void loaders.timeline()
    if (url.view === 'agent' && (p?.agent !== url.agent || p.view !== 'agent')) void loaders.agentDetail()
  }

  const live = new LiveClient({
    config: o.config,
    api: o.api,
    store,
    token: o.token,
    scope: () => ({ environment: urlNow().env, project_id: urlNow().project }),
    refreshAgents: () => {
      refreshAgents()
      if (urlNow().view === 'mission' || (urlNow().view === 'agent' && urlNow().tab === 'tasks')) refreshTasks()
      if (urlNow().view === 'mission') refreshApprovals()
      if (urlNow().view === 'task') refreshTimeline()
    },
    onDeadCredential: o.onDeadCredential,
    onAlertFired: (record) => {
      alerts.onFired(record)
      notifier.notify(record)
    },
    onCaughtUp: () => void alerts.refreshAll(),
  })
  window.addEventListener('popstate', () => applyUrl(parseUrlState(location.search)))
  installKeyboard({ store, navigate, go })
  applyUrl(store.state.url)
  alerts.start()
  live.start()
  return { store, live }
}
