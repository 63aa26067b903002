/**
 * Panels backed by endpoints being built in parallel (pipeline, metrics, heartbeats, cost, alerts): fetch on show,
 * render the response as key/value rows, and show the panel error state (404 included) with Retry (D21).
 */
import { clear, h, type Panel } from '../lib/h.js'
import type { Loadable, State } from '../store/state.js'
import { PanelStatus } from './common.js'

export type EndpointKey = 'pipeline' | 'metrics' | 'heartbeat' | 'cost' | 'llm-calls' | 'fleet-pipeline' | 'alerts'

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
}

export function createEndpointPanel(deps: EndpointDeps, key: EndpointKey, title: string): Panel<State> {
  const status = new PanelStatus(() => deps.reload(key))
  const body = h('div', { class: 'endpoint-body' })
  const dom = h(
    'section',
    { class: `endpoint-panel ep-${key}`, 'aria-label': title },
    h('h3', null, title),
    status.dom,
    body,
  )
  let drawn: unknown = undefined
  return {
    dom,
    update(state) {
      const l = deps.get(key, state)
      const ok = status.update(l, (d) => d === null || (Array.isArray(d) && d.length === 0), EMPTY[key], deps.now())
      dom.classList.toggle('is-stale', l.error !== null)
      if (l.data !== drawn) {
        clear(body)
        if (ok) body.append(renderValue(l.data))
        drawn = l.data
      }
    },
    destroy() {},
  }
}
