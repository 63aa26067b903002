/** Live client (realtime.md §8, dashboard.md D12–D15): one socket, polling fallback, catch-up, status pill. */
import type { WireEvent } from '@hiveboard/shared'
import type { ApiClient } from '../lib/api.js'
import type { HiveConfig } from '../lib/config.js'
import type { AlertRecord } from '../store/alerts.js'
import { assertNever } from '../store/reducers.js'
import type { Store } from '../store/store.js'
import { backoffMs, isUnknownAgent, parseServerMessage, subscribeMessage, type ServerMessage } from './messages.js'

export interface LiveDeps {
  config: HiveConfig
  api: ApiClient
  store: Store
  token: () => string | null
  scope: () => { environment: string | null; project_id: string | null }
  refreshAgents: () => void
  onDeadCredential: () => void
  /** `alert.fired` (D50): prepend, toast, announce. */
  onAlertFired?: (record: AlertRecord) => void
  /** After a catch-up (D15): views refetch what the socket may have missed (alert history among them). */
  onCaughtUp?: () => void
}

interface EventsPage {
  data: WireEvent[]
  pagination: { cursor: string | null; has_more: boolean }
}

const PING_MS = 5 * 60_000
const FALLBACK_AFTER_MS = 5000

export class LiveClient {
  private socket: WebSocket | null = null
  private subscribed = false
  private failures = 0
  private everSubscribed = false
  private pollTimer: ReturnType<typeof setInterval> | null = null
  private agentsTimer: ReturnType<typeof setInterval> | null = null
  private timers: ReturnType<typeof setTimeout>[] = []
  private stopped = false
  private unopenedInARow = 0

  constructor(private readonly deps: LiveDeps) {}

  start(): void {
    if (this.deps.config.wsUrl === null) {
      this.startPolling()
      return
    }
    this.connect()
    this.later(() => {
      if (!this.subscribed) this.startPolling()
    }, FALLBACK_AFTER_MS)
  }

  stop(): void {
    this.stopped = true
    this.stopPolling()
    for (const t of this.timers.splice(0)) clearTimeout(t)
    this.socket?.close()
  }

  /** Filters changed (environment, project): re-send subscribe (R42). */
  resubscribe(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.send(subscribeMessage(this.deps.token(), this.deps.scope()))
  }

  private later(fn: () => void, ms: number): void {
    this.timers.push(setTimeout(fn, ms))
  }

  private send(msg: unknown): void {
    this.socket?.send(JSON.stringify(msg))
  }

  private connect(): void {
    if (this.stopped || this.deps.config.wsUrl === null) return
    const token = this.deps.token() ?? ''
    let opened = false
    let socket: WebSocket
    try {
      socket = new WebSocket(`${this.deps.config.wsUrl}?token=${encodeURIComponent(token)}`)
    } catch {
      this.scheduleReconnect(false)
      return
    }
    this.socket = socket
    socket.addEventListener('open', () => {
      opened = true
      this.unopenedInARow = 0
      this.send(subscribeMessage(this.deps.token(), this.deps.scope()))
    })
    socket.addEventListener('message', (ev: MessageEvent<unknown>) => {
      if (typeof ev.data !== 'string') return
      const msg = parseServerMessage(ev.data)
      if (msg === null) console.warn('hiveboard: dropped a malformed stream message')
      else this.handleMessage(msg)
    })
    socket.addEventListener('close', (ev: CloseEvent) => {
      if (this.socket !== socket) return
      this.socket = null
      this.subscribed = false
      if (ev.code === 4001) this.unopenedInARow = 3
      this.scheduleReconnect(opened)
    })
  }

  private scheduleReconnect(opened: boolean): void {
    if (this.stopped) return
    if (!opened) this.unopenedInARow++
    if (this.unopenedInARow >= 3) {
      this.unopenedInARow = 0
      this.deps.api.get('/v1/agents', { limit: 1 }).catch((e: unknown) => {
        if ((e as { status?: number }).status === 401) this.deps.onDeadCredential()
      })
    }
    const delay = backoffMs(this.failures++)
    // While polling carries the data, the pill says Polling; before the fallback starts it counts down (D14).
    if (this.pollTimer === null) {
      this.deps.store.dispatch({ type: 'live', status: { kind: 'reconnecting', inSeconds: Math.ceil(delay / 1000) } })
    }
    this.later(() => {
      if (!this.subscribed) this.startPolling()
    }, FALLBACK_AFTER_MS)
    this.later(() => this.connect(), delay)
  }

  private handleMessage(msg: ServerMessage): void {
    const store = this.deps.store
    switch (msg.type) {
      case 'subscribed':
        this.subscribed = true
        this.stopPolling()
        store.dispatch({ type: 'live', status: { kind: 'live' } })
        this.later(() => {
          if (this.subscribed) this.failures = 0
        }, 10_000)
        if (this.everSubscribed) void this.catchUp()
        this.everSubscribed = true
        this.later(() => this.ping(), PING_MS)
        break
      case 'event.new':
        store.dispatch({ type: 'events/new', events: [msg.data] })
        if (isUnknownAgent(store.state.agents.data, msg.data.agent_id)) this.deps.refreshAgents()
        break
      case 'agent.status_changed':
        store.dispatch({ type: 'agent/status', data: msg.data })
        this.deps.refreshAgents()
        break
      case 'agent.stuck':
        store.dispatch({ type: 'agent/stuck', data: msg.data })
        if (isUnknownAgent(store.state.agents.data, msg.data.agent_id)) this.deps.refreshAgents()
        break
      case 'alert.fired':
        this.deps.onAlertFired?.(msg.data)
        break
      case 'pong':
        if (msg.data.reregistered) {
          this.resubscribe()
          void this.catchUp()
        }
        break
      case 'lagged':
        void this.catchUp()
        break
      case 'error':
        console.warn(`hiveboard stream: ${msg.data.message}`)
        break
      default:
        assertNever(msg)
    }
  }

  private ping(): void {
    if (this.stopped) return
    if (this.socket?.readyState === WebSocket.OPEN) this.send({ action: 'ping', token: this.deps.token() })
    this.later(() => this.ping(), PING_MS)
  }

  /** R44/D15: events since the newest seen − 60 s, up to 1,000, then agents. */
  async catchUp(): Promise<void> {
    const newest = this.deps.store.state.newestSeen
    const since = newest === null ? null : new Date(Date.parse(newest) - 60_000).toISOString()
    const events: WireEvent[] = []
    let cursor: string | null = null
    let overflow = false
    try {
      do {
        const page: EventsPage = await this.deps.api.get<EventsPage>('/v1/events', {
          since,
          limit: 200,
          cursor,
          exclude_heartbeats: true,
          environment: this.deps.scope().environment,
          project_id: this.deps.scope().project_id,
        })
        events.push(...page.data)
        cursor = page.pagination.has_more ? page.pagination.cursor : null
        if (events.length >= 1000 && cursor !== null) overflow = true
      } while (cursor !== null && !overflow)
      this.deps.store.dispatch({ type: 'catchup', events, overflow })
    } catch {
      // keep old data; the next poll or reconnect retries
    }
    this.deps.refreshAgents()
    this.deps.onCaughtUp?.()
  }

  private startPolling(): void {
    if (this.pollTimer !== null || this.stopped) return
    const reason = this.deps.config.wsUrl === null ? 'live stream not configured' : null
    this.deps.store.dispatch({ type: 'live', status: { kind: 'polling', reason } })
    this.pollTimer = setInterval(() => void this.poll(), this.deps.config.pollIntervalMs)
    this.agentsTimer = setInterval(() => this.deps.refreshAgents(), this.deps.config.agentsRefreshMs)
  }

  private stopPolling(): void {
    if (this.pollTimer !== null) clearInterval(this.pollTimer)
    if (this.agentsTimer !== null) clearInterval(this.agentsTimer)
    this.pollTimer = null
    this.agentsTimer = null
  }

  private async poll(): Promise<void> {
    if (document.visibilityState === 'hidden') return
    const since = this.deps.store.state.newestSeen
    try {
      const page = await this.deps.api.get<EventsPage>('/v1/events', {
        since,
        limit: 200,
        exclude_heartbeats: true,
        environment: this.deps.scope().environment,
        project_id: this.deps.scope().project_id,
      })
      const fresh = page.data.filter((e) => !this.deps.store.state.seen.includes(e.event_id))
      if (fresh.length > 0) {
        this.deps.store.dispatch({ type: 'events/new', events: page.data })
        this.deps.refreshAgents()
      }
      if (this.deps.store.state.live.kind === 'offline') {
        const reason = this.deps.config.wsUrl === null ? 'live stream not configured' : null
        this.deps.store.dispatch({ type: 'live', status: { kind: 'polling', reason } })
      }
    } catch (e) {
      if ((e as { status?: number }).status === 0)
        this.deps.store.dispatch({ type: 'live', status: { kind: 'offline' } })
    }
  }
}
