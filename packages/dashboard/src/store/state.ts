/** The dashboard store's state (dashboard.md D3): plain data, no DOM. */
import { DEFAULT_URL_STATE, type UrlState } from '../lib/url.js'
import { initialAlertsState, type AlertsState } from './alerts.js'
import type { Metrics, Timeline, WireAgent, WireEvent, WireTask } from './types.js'

export interface PanelError {
  status: number
  message: string
}

export interface Loadable<T> {
  data: T | null
  error: PanelError | null
  loading: boolean
  updatedAt: number | null
}

export function idle<T>(): Loadable<T> {
  return { data: null, error: null, loading: false, updatedAt: null }
}

export type LiveStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; inSeconds: number }
  | { kind: 'polling'; reason: string | null }
  | { kind: 'offline' }

export interface TaskList {
  items: WireTask[]
  cursor: string | null
  hasMore: boolean
}

export interface State {
  url: UrlState
  agents: Loadable<WireAgent[]>
  agentDetail: Loadable<WireAgent>
  events: WireEvent[]
  eventsStatus: Loadable<true>
  /** Event ids already applied, newest last, capped (D12: last 5,000). */
  seen: readonly string[]
  newestSeen: string | null
  tasks: Loadable<TaskList>
  timeline: Loadable<Timeline>
  metrics: Loadable<Metrics>
  live: LiveStatus
  /** Results of endpoint-backed panels, by `key|scope` (D21 states). */
  endpoints: Readonly<Record<string, Loadable<unknown>>>
  streamCap: number
  /** Bumped when a catch-up overflowed: views reload (D15). */
  reloadToken: number
  /** Alert rules, history, banners and budgets (§11); reduced by `reduceAlerts`. */
  alerts: AlertsState
}

export function initialState(url: UrlState = DEFAULT_URL_STATE, streamCap = 1000): State {
  return {
    url,
    agents: idle(),
    agentDetail: idle(),
    events: [],
    eventsStatus: idle(),
    seen: [],
    newestSeen: null,
    tasks: idle(),
    timeline: idle(),
    metrics: idle(),
    live: { kind: 'connecting' },
    endpoints: {},
    streamCap,
    reloadToken: 0,
    alerts: initialAlertsState(),
  }
}
