/** REST loaders: every result goes through the store's reducers (D10, D13, D16). */
import type { WireAgent, WireEvent, WireTask } from '@hiveboard/shared'
import { ApiError, type ApiClient, type Query } from '../lib/api.js'
import type { UrlState } from '../lib/url.js'
import type { PanelError } from '../store/state.js'
import { waitingApprovals } from '../store/approvals.js'
import { typeByAgent } from '../store/cost-matrix.js'
import { deployComparison } from '../store/deploys.js'
import { projectCosts } from './cost-loaders.js'
import type { Store } from '../store/store.js'
import type { Metrics, Timeline } from '../store/types.js'
import type { TaskSort } from '../views/tasks.js'
import type { CallSort } from '../views/cost.js'
import type { EndpointKey } from '../views/endpoint.js'

interface Page<T> {
  data: T[]
  pagination: { cursor: string | null; has_more: boolean }
}

const RANGE_MS: Record<string, number> = { '1h': 3.6e6, '6h': 2.16e7, '24h': 8.64e7, '7d': 6.048e8, '30d': 2.592e9 }

export function toPanelError(e: unknown): PanelError {
  if (e instanceof ApiError) return { status: e.status, message: e.message }
  return { status: 0, message: e instanceof Error ? e.message : 'Something went wrong' }
}

export function debounce(fn: () => void, ms: number): () => void {
  let t: ReturnType<typeof setTimeout> | null = null
  return () => {
    if (t !== null) clearTimeout(t)
    t = setTimeout(() => {
      t = null
      fn()
    }, ms)
  }
}

export class Loaders {
  taskSort: TaskSort = 'newest'
  /** D44 recent calls order; part of the `llm-calls` cache key. */
  callSort: CallSort = 'newest'
  private taskAbort: AbortController | null = null
  private timelineAbort: AbortController | null = null

  constructor(
    private readonly api: ApiClient,
    private readonly store: Store,
  ) {}

  /** Set synchronously on navigation: the store applies the URL only at the next frame (D13). */
  current: UrlState | null = null

  private get url(): UrlState {
    return this.current ?? this.store.state.url
  }

  private scope(): Query {
    return { environment: this.url.env, project_id: this.url.project }
  }

  /** The selected range's start on server time (D11). */
  rangeStart(): string {
    return new Date(this.api.clock.now() - (RANGE_MS[this.url.range] ?? 3.6e6)).toISOString()
  }

  async agents(): Promise<void> {
    if (this.store.state.agents.data === null) this.store.dispatch({ type: 'agents/loading' })
    try {
      const page = await this.api.get<Page<WireAgent>>('/v1/agents', { sort: 'attention', limit: 200, ...this.scope() })
      this.store.dispatch({ type: 'agents/loaded', agents: page.data, at: Date.now() })
    } catch (e) {
      this.store.dispatch({ type: 'agents/failed', error: toPanelError(e) })
    }
  }

  async events(): Promise<void> {
    try {
      const page = await this.api.get<Page<WireEvent>>('/v1/events', {
        limit: 100,
        exclude_heartbeats: true,
        ...this.scope(),
      })
      this.store.dispatch({ type: 'events/loaded', events: page.data, at: Date.now() })
    } catch (e) {
      this.store.dispatch({ type: 'events/failed', error: toPanelError(e) })
    }
  }

  async tasks(append = false): Promise<void> {
    this.taskAbort?.abort()
    const abort = new AbortController()
    this.taskAbort = abort
    const cursor = append ? (this.store.state.tasks.data?.cursor ?? null) : null
    if (!append) this.store.dispatch({ type: 'tasks/loading' })
    const since = this.rangeStart()
    try {
      const page = await this.api.get<Page<WireTask>>(
        '/v1/tasks',
        { limit: 50, sort: this.taskSort, agent_id: this.url.agent, since, cursor, ...this.scope() },
        { signal: abort.signal },
      )
      const list = { items: page.data, cursor: page.pagination.cursor, hasMore: page.pagination.has_more }
      this.store.dispatch({ type: 'tasks/loaded', page: list, append, at: Date.now() })
    } catch (e) {
      if (e instanceof ApiError && e.code === 'aborted') return
      this.store.dispatch({ type: 'tasks/failed', error: toPanelError(e) })
    }
  }

  async timeline(): Promise<void> {
    const task = this.url.task
    if (task === null) return
    this.timelineAbort?.abort()
    const abort = new AbortController()
    this.timelineAbort = abort
    if (this.store.state.timeline.data?.task_id !== task) this.store.dispatch({ type: 'timeline/loading' })
    try {
      const t = await this.api.get<Timeline>(
        `/v1/tasks/${encodeURIComponent(task)}/timeline`,
        { task_run_id: this.url.run },
        { signal: abort.signal },
      )
      this.store.dispatch({ type: 'timeline/loaded', timeline: t, at: Date.now() })
    } catch (e) {
      if (e instanceof ApiError && e.code === 'aborted') return
      this.store.dispatch({ type: 'timeline/failed', error: toPanelError(e) })
    }
  }

  async agentDetail(): Promise<void> {
    const id = this.url.agent
    if (id === null) return
    try {
      const a = await this.api.get<WireAgent>(`/v1/agents/${encodeURIComponent(id)}`)
      this.store.dispatch({ type: 'agent/loaded', agent: a, at: Date.now() })
    } catch (e) {
      this.store.dispatch({ type: 'agent/failed', error: toPanelError(e) })
    }
  }

  async metrics(): Promise<void> {
    try {
      const m = await this.api.get<Metrics>('/v1/metrics', { range: this.url.range, ...this.scope() })
      this.store.dispatch({ type: 'metrics/loaded', metrics: m, at: Date.now() })
    } catch (e) {
      this.store.dispatch({ type: 'metrics/failed', error: toPanelError(e) })
    }
  }

  endpointKey(key: EndpointKey, url: UrlState): string {
    const sort = key === 'llm-calls' ? `|${this.callSort}` : ''
    return `${key}|${url.agent ?? ''}|${url.range}|${url.env ?? ''}|${url.project ?? ''}${sort}`
  }

  async endpoint(key: EndpointKey): Promise<void> {
    const url = this.url
    const id = this.endpointKey(key, url)
    const agent = encodeURIComponent(url.agent ?? '')
    const scope = this.scope()
    const req: Record<EndpointKey, [string, Query]> = {
      pipeline: [`/v1/agents/${agent}/pipeline`, {}],
      metrics: ['/v1/metrics', { agent_id: url.agent, range: url.range }],
      'work-24h': ['/v1/metrics', { agent_id: url.agent, range: '24h' }],
      heartbeat: ['/v1/events', { agent_id: url.agent, event_type: 'heartbeat', limit: 50 }],
      cost: ['/v1/cost', { range: url.range, agent_id: url.agent, ...scope }],
      'cost-projects': ['/v1/cost', { range: url.range, agent_id: url.agent, ...scope }],
      'llm-calls': ['/v1/llm-calls', { limit: 50, sort: this.callSort, agent_id: url.agent, ...scope }],
      'fleet-pipeline': ['/v1/pipeline', scope],
      alerts: ['/v1/alerts/history', { limit: 50 }],
      approvals: ['/v1/tasks', { status: 'waiting', limit: 200, ...scope }],
      'cost-timeseries': ['/v1/cost/timeseries', { range: url.range, agent_id: url.agent, ...scope }],
      'cost-tasks': ['/v1/tasks', { since: this.rangeStart(), limit: 200, agent_id: url.agent, ...scope }],
      'cost-by-task': [
        '/v1/tasks',
        { since: this.rangeStart(), sort: 'cost', limit: 20, agent_id: url.agent, ...scope },
      ],
      deploys: [
        '/v1/events',
        { agent_id: url.agent, event_type: 'agent_registered', since: this.rangeStart(), limit: 200 },
      ],
    }
    const [path, query] = req[key]
    this.store.dispatch({ type: 'endpoint/loading', key: id })
    try {
      if (key === 'approvals') {
        // D27: one page of waiting tasks and one of approval requests, joined in the browser.
        const [tasks, requests] = await Promise.all([
          this.api.get<Page<WireTask>>(path, query),
          this.api.get<Page<WireEvent>>('/v1/events', { event_type: 'approval_requested', limit: 200, ...scope }),
        ])
        const data = waitingApprovals(tasks.data, requests.data)
        this.store.dispatch({ type: 'endpoint/loaded', key: id, data, at: Date.now() })
        return
      }
      if (key === 'deploys') {
        // D30: registrations of the range, and the agent's tasks (one page) to compare around the latest change.
        const [registrations, tasks] = await Promise.all([
          this.api.get<Page<WireEvent>>(path, query),
          this.api.get<Page<WireTask>>('/v1/tasks', { agent_id: url.agent, since: this.rangeStart(), limit: 200 }),
        ])
        const data = deployComparison(registrations.data, tasks.data)
        this.store.dispatch({ type: 'endpoint/loaded', key: id, data, at: Date.now() })
        return
      }
      if (key === 'cost-projects') {
        const data = await projectCosts(this.api, query)
        this.store.dispatch({ type: 'endpoint/loaded', key: id, data, at: Date.now() })
        return
      }
      if (key === 'cost-tasks') {
        // D43: up to 1,000 tasks of the range, grouped in the browser.
        const tasks: WireTask[] = []
        let cursor: string | null = null
        do {
          const page: Page<WireTask> = await this.api.get<Page<WireTask>>(path, { ...query, cursor })
          tasks.push(...page.data)
          cursor = page.pagination.has_more ? page.pagination.cursor : null
        } while (cursor !== null && tasks.length < 1000)
        const data = typeByAgent(tasks.slice(0, 1000))
        this.store.dispatch({ type: 'endpoint/loaded', key: id, data, at: Date.now() })
        return
      }
      const data = await this.api.get<unknown>(path, query)
      const paged = key === 'heartbeat' || key === 'llm-calls' || key === 'cost-by-task'
      const shown = paged ? (data as Page<unknown>).data : data
      this.store.dispatch({ type: 'endpoint/loaded', key: id, data: shown, at: Date.now() })
    } catch (e) {
      this.store.dispatch({ type: 'endpoint/failed', key: id, error: toPanelError(e) })
    }
  }
}
