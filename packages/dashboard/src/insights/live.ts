/**
 * Insights live (dashboard.md D54 "agents and events live"): the dashboard's own store and LiveClient — one socket,
 * catch-up after reconnects, polling fallback (realtime.md §8, D12–D15) — feeding the 20 newest events, the agent
 * list (heartbeats, status changes, stuck pushes) and the live pill.
 */
import type { WireAgent, WireEvent } from '@hiveboard/shared'
import type { Booted } from '../app/boot.js'
import { debounce } from '../app/loaders.js'
import { clockTime } from '../lib/format.js'
import { h, setText } from '../lib/h.js'
import { narrate } from '../lib/narrate.js'
import { DEFAULT_URL_STATE } from '../lib/url.js'
import { LiveClient } from '../live/live.js'
import { initialState } from '../store/state.js'
import { Store } from '../store/store.js'
import { pillText } from '../views/shell.js'
import { Block, type Page } from './block.js'

const NEWEST = 20

export interface Scope {
  environment: string | null
  project_id: string | null
}

export interface InsightsLive {
  events: Block<WireEvent[]>
  pill: HTMLElement
  /** Loads `/v1/agents` into the store (attention order); live patches follow. */
  loadAgents: () => Promise<void>
  start: () => void
}

/** `onAgents` gets the list and when it was fetched (ages tick from there) on every load and live patch. */
export function createInsightsLive(
  b: Booted,
  scope: () => Scope,
  onAgents: (agents: WireAgent[], at: number) => void,
  onAgentsError: (e: unknown) => void,
): InsightsLive {
  const store = new Store(initialState(DEFAULT_URL_STATE, b.config.streamCap))
  const events = new Block<WireEvent[]>(
    'newest-events',
    'Newest events',
    async () => {
      const page = await b.api.get<Page<WireEvent>>('/v1/events', {
        limit: NEWEST,
        exclude_heartbeats: true,
        ...scope(),
      })
      store.dispatch({ type: 'events/loaded', events: page.data, at: Date.now() })
      return page.data
    },
    (list) => list.length === 0,
    () => 'No events yet',
    (list) => [
      h(
        'ol',
        { class: 'newest-list' },
        ...list.map((e) =>
          h('li', null, h('span', { class: 'muted' }, `${clockTime(e.timestamp)} `), h('span', null, narrate(e))),
        ),
      ),
    ],
  )
  const loadAgents = async () => {
    try {
      const page = await b.api.get<Page<WireAgent>>('/v1/agents', { sort: 'attention', limit: 200, ...scope() })
      store.dispatch({ type: 'agents/loaded', agents: page.data, at: Date.now() })
    } catch (e) {
      onAgentsError(e)
    }
  }
  const pill = h('span', { class: 'pill', role: 'status', 'aria-live': 'polite' })
  let shownEvents = store.state.events
  let shownAgents = store.state.agents.data
  store.subscribe((s) => {
    setText(pill, pillText(s.live))
    pill.className = `pill pill-${s.live.kind}`
    if (s.events !== shownEvents && s.eventsStatus.updatedAt !== null) events.set(s.events.slice(0, NEWEST))
    shownEvents = s.events
    if (s.agents.data !== null && s.agents.data !== shownAgents)
      onAgents(s.agents.data, s.agents.updatedAt ?? Date.now())
    shownAgents = s.agents.data
  })
  const live = new LiveClient({
    config: b.config,
    api: b.api,
    store,
    token: b.token,
    scope,
    refreshAgents: debounce(() => void loadAgents(), 1000),
    onDeadCredential: b.onDeadCredential,
  })
  return { events, pill, loadAgents, start: () => live.start() }
}
