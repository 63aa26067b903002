/** Pure reducers (dashboard.md D3, D12–D16): every message and fetch result goes through `reduce`. */
import type { AgentStatus } from '@hiveboard/shared'
import type { UrlState } from '../lib/url.js'
import { reduceAlerts, type AlertsMsg } from './alerts.js'
import type { Loadable, LiveStatus, PanelError, State, TaskList } from './state.js'
import type { Metrics, StatusChanged, StuckMessage, Timeline, WireAgent, WireEvent } from './types.js'

export const SEEN_CAP = 5000
export const CATCH_UP_LIMIT = 1000

export type Msg =
  | { type: 'url'; url: UrlState }
  | { type: 'agents/loading' }
  | { type: 'agents/loaded'; agents: WireAgent[]; at: number }
  | { type: 'agents/failed'; error: PanelError }
  | { type: 'agent/loaded'; agent: WireAgent; at: number }
  | { type: 'agent/failed'; error: PanelError }
  | { type: 'events/loaded'; events: WireEvent[]; at: number }
  | { type: 'events/failed'; error: PanelError }
  | { type: 'events/new'; events: WireEvent[] }
  | { type: 'catchup'; events: WireEvent[]; overflow: boolean }
  | { type: 'agent/status'; data: StatusChanged }
  | { type: 'agent/stuck'; data: StuckMessage }
  | { type: 'tasks/loading' }
  | { type: 'tasks/loaded'; page: TaskList; append: boolean; at: number }
  | { type: 'tasks/failed'; error: PanelError }
  | { type: 'timeline/loading' }
  | { type: 'timeline/loaded'; timeline: Timeline; at: number }
  | { type: 'timeline/failed'; error: PanelError }
  | { type: 'metrics/loaded'; metrics: Metrics; at: number }
  | { type: 'metrics/failed'; error: PanelError }
  | { type: 'live'; status: LiveStatus }
  | { type: 'endpoint/loading'; key: string }
  | { type: 'endpoint/loaded'; key: string; data: unknown; at: number }
  | { type: 'endpoint/failed'; key: string; error: PanelError }
  | { type: 'alerts'; msg: AlertsMsg }

const STATUS_RANK: Record<AgentStatus, number> = { stuck: 0, error: 1, waiting_approval: 2, processing: 3, idle: 4 }

/** Attention order (D23): stuck, error, waiting_approval, processing, idle, then `last_seen` desc. */
export function attentionSort(agents: readonly WireAgent[]): WireAgent[] {
  return [...agents].sort(
    (a, b) =>
      STATUS_RANK[a.derived_status] - STATUS_RANK[b.derived_status] ||
      b.last_seen.localeCompare(a.last_seen) ||
      a.agent_id.localeCompare(b.agent_id),
  )
}

const blank = (): Loadable<unknown> => ({ data: null, error: null, loading: false, updatedAt: null })
const loading = <T>(l: Loadable<T>): Loadable<T> => ({ ...l, loading: true })
const loaded = <T>(data: T, at: number): Loadable<T> => ({ data, error: null, loading: false, updatedAt: at })
const failed = <T>(l: Loadable<T>, error: PanelError): Loadable<T> => ({ ...l, error, loading: false })

function byNewest(a: WireEvent, b: WireEvent): number {
  return b.timestamp.localeCompare(a.timestamp)
}

/** Merges events (any order) into the newest-first stream: deduplicated by id, capped. */
export function mergeEvents(state: State, incoming: readonly WireEvent[]): State {
  const seenSet = new Set(state.seen)
  const fresh: WireEvent[] = []
  for (const e of incoming) {
    if (seenSet.has(e.event_id)) continue
    seenSet.add(e.event_id)
    fresh.push(e)
  }
  if (fresh.length === 0) return state
  const newest = fresh.reduce((m, e) => (m === null || e.timestamp > m ? e.timestamp : m), state.newestSeen)
  const events = [...fresh.filter((e) => e.event_type !== 'heartbeat'), ...state.events]
    .sort(byNewest)
    .slice(0, state.streamCap)
  const seen = [...state.seen, ...fresh.map((e) => e.event_id)].slice(-SEEN_CAP)
  return {
    ...state,
    events,
    seen,
    newestSeen: newest,
    agents: patchAgents(state.agents, fresh),
    timeline: patchTimeline(state.timeline, fresh),
  }
}

function patchAgents(agents: Loadable<WireAgent[]>, events: readonly WireEvent[]): Loadable<WireAgent[]> {
  if (agents.data === null) return agents
  const byId = new Map(agents.data.map((a) => [a.agent_id, a]))
  let changed = false
  for (const e of [...events].sort((a, b) => a.timestamp.localeCompare(b.timestamp))) {
    const a = byId.get(e.agent_id)
    if (a === undefined || e.timestamp < a.last_seen) continue
    const next: WireAgent = { ...a, last_seen: e.timestamp, last_event_type: e.event_type }
    if (e.event_type === 'task_started') next.current_task_id = e.task_id
    if ((e.event_type === 'task_completed' || e.event_type === 'task_failed') && a.current_task_id === e.task_id) {
      next.current_task_id = null
    }
    if (e.event_type === 'heartbeat') {
      next.last_heartbeat = e.timestamp
      next.heartbeat_age_seconds = 0
    }
    byId.set(a.agent_id, next)
    changed = true
  }
  return changed ? { ...agents, data: attentionSort([...byId.values()]) } : agents
}

function patchTimeline(timeline: Loadable<Timeline>, events: readonly WireEvent[]): Loadable<Timeline> {
  const t = timeline.data
  if (t === null) return timeline
  const mine = events.filter(
    (e) => e.task_id === t.task_id && (t.task_run_id === null || e.task_run_id === t.task_run_id),
  )
  if (mine.length === 0) return timeline
  const ids = new Set(t.events.map((e) => e.event_id))
  const add = mine.filter((e) => !ids.has(e.event_id))
  const merged = [...t.events, ...add].sort((a, b) => a.timestamp.localeCompare(b.timestamp))
  return { ...timeline, data: { ...t, events: merged } }
}

function patchAgent(state: State, id: string, patch: (a: WireAgent) => WireAgent): State {
  if (state.agents.data === null) return state
  const data = state.agents.data.map((a) => (a.agent_id === id ? patch(a) : a))
  return { ...state, agents: { ...state.agents, data: attentionSort(data) } }
}

export function reduce(state: State, msg: Msg): State {
  switch (msg.type) {
    case 'url':
      return { ...state, url: msg.url }
    case 'agents/loading':
      return { ...state, agents: loading(state.agents) }
    case 'agents/loaded':
      return { ...state, agents: loaded(attentionSort(msg.agents), msg.at) }
    case 'agents/failed':
      return { ...state, agents: failed(state.agents, msg.error) }
    case 'agent/loaded':
      return { ...state, agentDetail: loaded(msg.agent, msg.at) }
    case 'agent/failed':
      return { ...state, agentDetail: failed(state.agentDetail, msg.error) }
    case 'events/loaded': {
      const next = mergeEvents(state, msg.events)
      return { ...next, eventsStatus: loaded(true, msg.at) }
    }
    case 'events/failed':
      return { ...state, eventsStatus: failed(state.eventsStatus, msg.error) }
    case 'events/new':
      return mergeEvents(state, msg.events)
    case 'catchup': {
      const next = mergeEvents(state, msg.events.slice(0, CATCH_UP_LIMIT))
      return msg.overflow ? { ...next, reloadToken: next.reloadToken + 1 } : next
    }
    case 'agent/status':
      return patchAgent(state, msg.data.agent_id, (a) => ({
        ...a,
        previous_status: msg.data.previous_status,
        derived_status: msg.data.new_status,
        is_stuck: msg.data.new_status === 'stuck',
        current_task_id: msg.data.current_task_id,
        heartbeat_age_seconds: msg.data.heartbeat_age_seconds ?? a.heartbeat_age_seconds,
      }))
    case 'agent/stuck':
      return patchAgent(state, msg.data.agent_id, (a) => ({
        ...a,
        derived_status: 'stuck',
        is_stuck: true,
        stuck_threshold_seconds: msg.data.stuck_threshold_seconds,
        last_heartbeat: msg.data.last_heartbeat,
      }))
    case 'tasks/loading':
      return { ...state, tasks: loading(state.tasks) }
    case 'tasks/loaded': {
      const items =
        msg.append && state.tasks.data !== null ? [...state.tasks.data.items, ...msg.page.items] : msg.page.items
      return { ...state, tasks: loaded({ ...msg.page, items }, msg.at) }
    }
    case 'tasks/failed':
      return { ...state, tasks: failed(state.tasks, msg.error) }
    case 'timeline/loading':
      return { ...state, timeline: loading(state.timeline) }
    case 'timeline/loaded':
      return { ...state, timeline: loaded(msg.timeline, msg.at) }
    case 'timeline/failed':
      return { ...state, timeline: failed(state.timeline, msg.error) }
    case 'metrics/loaded':
      return { ...state, metrics: loaded(msg.metrics, msg.at) }
    case 'metrics/failed':
      return { ...state, metrics: failed(state.metrics, msg.error) }
    case 'live':
      return { ...state, live: msg.status }
    case 'endpoint/loading':
      return { ...state, endpoints: { ...state.endpoints, [msg.key]: loading(state.endpoints[msg.key] ?? blank()) } }
    case 'endpoint/loaded':
      return { ...state, endpoints: { ...state.endpoints, [msg.key]: loaded(msg.data, msg.at) } }
    case 'endpoint/failed':
      return {
        ...state,
        endpoints: { ...state.endpoints, [msg.key]: failed(state.endpoints[msg.key] ?? blank(), msg.error) },
      }
    case 'alerts':
      return { ...state, alerts: reduceAlerts(state.alerts, msg.msg) }
    default:
      return assertNever(msg)
  }
}

export function assertNever(x: never): never {
  throw new Error(`Unexpected message: ${JSON.stringify(x)}`)
}
