/**
 * Panels backed by endpoints being built in parallel (pipeline, metrics, heartbeats, cost, alerts): fetch on show,
 * render the response as key/value rows, and show the panel error state (404 included) with Retry (D21).
 */
import { h, type Panel } from '../lib/h.js'
import type { Loadable, State } from '../store/state.js'
import { PanelStatus } from './common.js'

export type EndpointKey =
  | 'pipeline'
  | 'metrics'
  | 'heartbeat'
  | 'cost'
  | 'llm-calls'
  | 'fleet-pipeline'
  | 'alerts'
  | 'approvals'
  | 'cost-timeseries'
  | 'cost-tasks'
  | 'deploys'
  | 'cost-by-task'
  | 'cost-projects'
  | 'work-24h'

export interface EndpointDeps {
  /** The cached result for a key in the current scope (loads when missing). */
  get: (key: EndpointKey, state: State) => Loadable<unknown>
  reload: (key: EndpointKey) => void
  now: () => number
}

function renderValue(value: unknown, depth = 0): HTMLElement {
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'muted' }, 'none')
    return h('ul', { class: 'value-list' }, ...value.slice(0, 50).map((v) => h('li', null, renderValue(v, depth + 1))))
  }
  if (value !== null && typeof value === 'object') {
    return h(
      'dl',
      { class: 'kvs nested' },
      ...Object.entries(value as Record<string, unknown>).map(([k, v]) =>
        h(
          'div',
          { class: 'kv' },
          h('dt', null, k),
          h('dd', null, depth > 3 ? JSON.stringify(v) : renderValue(v, depth + 1)),
        ),
      ),
    )
  }
  return h('span', null, value === null || value === undefined ? '—' : String(value as string | number | boolean))
}

const EMPTY: Record<EndpointKey, string> = {
  pipeline: 'Queue is empty — agent is caught up',
  metrics: 'No tasks in this range',
  heartbeat: 'No heartbeats in the last 10 minutes',
  cost: 'No LLM calls in this range',
  'llm-calls': 'No LLM calls in this range',
  'fleet-pipeline': 'No pipeline data reported',
  alerts: 'No alerts',
  approvals: 'No approvals waiting',
  'cost-timeseries': 'No LLM calls in this range',
  'cost-tasks': 'No tasks in this range',
  deploys: 'No registrations in this range',
  'cost-by-task': 'No tasks in this range',
  'cost-projects': 'No LLM calls in this range',
  'work-24h': 'No tasks in the last 24 hours',
}

export interface EndpointPanelSpec<T> {
  key: EndpointKey
  /** The section's class (also `ep-<key>`) and accessible name. */
  className: string
  label: string
  /** A visible heading: h2 for a whole view, h3 for a panel inside one. */
  heading?: { level: 'h2' | 'h3'; text: string }
  bodyClass?: string
  isEmpty: (data: T) => boolean
  emptyText: (state: State) => string
  /** The body's content for one response; called once per new response, not per frame. */
  draw: (data: T, state: State) => Node[]
}

/**
 * The shell every endpoint-backed panel shares: the D21 state line (skeleton, empty sentence, error with Retry and
 * "last updated"), previous data kept and dimmed on error, and a body redrawn only when a new response arrives.
 */
export function endpointPanel<T>(deps: EndpointDeps, spec: EndpointPanelSpec<T>): Panel<State> {
  const status = new PanelStatus(() => deps.reload(spec.key))
  const body = h('div', { class: spec.bodyClass ?? 'endpoint-body' })
  const heading = spec.heading === undefined ? null : h(spec.heading.level, null, spec.heading.text)
  const dom = h(
    'section',
    { class: `${spec.className} ep-${spec.key}`, 'aria-label': spec.label },
    heading,
    status.dom,
    body,
  )
  let drawn: unknown = undefined
  return {
    dom,
    update(state) {
      const l = deps.get(spec.key, state) as Loadable<T>
      const ok = status.update(l, spec.isEmpty, spec.emptyText(state), deps.now())
      dom.classList.toggle('is-stale', l.error !== null)
      if (l.data === drawn) return
      drawn = l.data
      body.replaceChildren(...(ok && l.data !== null ? spec.draw(l.data, state) : []))
    },
    destroy() {},
  }
}

/** A panel for a response without a dedicated view: its fields as key/value rows. */
export function createEndpointPanel(deps: EndpointDeps, key: EndpointKey, title: string): Panel<State> {
  return endpointPanel<unknown>(deps, {
    key,
    className: 'endpoint-panel',
    label: title,
    heading: { level: 'h3', text: title },
    isEmpty: (d) => d === null || (Array.isArray(d) && d.length === 0),
    emptyText: () => EMPTY[key],
    draw: (d) => [renderValue(d)],
  })
}
