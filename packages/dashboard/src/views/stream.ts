/** Activity Stream (dashboard.md D45–D47): narrated, filtered, newest first, capped render. */
import type { WireEvent } from '@hiveboard/shared'
import { clockTime } from '../lib/format.js'
import { Disposables, h, reconcile, setText, type Panel, type Row } from '../lib/h.js'
import { eventKind, narrateParts } from '../lib/narrate.js'
import { FEEDS, type Feed } from '../lib/url.js'
import { filterStream } from '../store/feed.js'
import type { State } from '../store/state.js'
import { PanelStatus } from './common.js'

export interface StreamDeps {
  setFeed: (feed: Feed) => void
  toggleAgentFilter: (id: string) => void
  openTask: (id: string) => void
  openDetails: (e: WireEvent) => void
  retry: () => void
  now: () => number
}

const RENDERED = 200
const FEED_LABEL: Record<Feed, string> = {
  all: 'All',
  tasks: 'Tasks',
  actions: 'Actions',
  errors: 'Errors',
  llm: 'LLM',
  pipeline: 'Pipeline',
  human: 'Human',
  plans: 'Plans',
}
const KIND_ICON: Record<string, string> = {
  llm_call: '✦',
  queue_snapshot: '≡',
  todo: '☐',
  issue: '⚠',
  plan_created: '▤',
  plan_step: '▸',
  scheduled: '⏲',
}

function icon(e: WireEvent): string {
  const kind = eventKind(e)
  if (kind !== null && KIND_ICON[kind] !== undefined) return KIND_ICON[kind]
  if (e.event_type.startsWith('task_')) return '◆'
  if (e.event_type.startsWith('action_')) return '▹'
  if (e.event_type === 'escalated' || e.event_type.startsWith('approval')) return '☝'
  return '•'
}

function createLine(deps: StreamDeps, e: WireEvent): Row<WireEvent> {
  const time = h('time', { class: 'ev-time muted', datetime: e.timestamp, title: e.timestamp }, clockTime(e.timestamp))
  const sentence = h('span', { class: 'ev-text' })
  for (const part of narrateParts(e)) {
    if (part.kind === 'text') sentence.append(part.text)
    else {
      const b = h('button', { type: 'button', class: `link ev-${part.kind}` }, part.text)
      b.addEventListener('click', () =>
        part.kind === 'agent' ? deps.toggleAgentFilter(part.text) : deps.openTask(part.text),
      )
      sentence.append(b)
    }
  }
  const details = h('button', { type: 'button', class: 'link ev-details', 'aria-label': 'Details' }, 'Details')
  details.addEventListener('click', () => deps.openDetails(e))
  const dom = h(
    'li',
    { class: `ev sev-${e.severity}`, 'data-event-id': e.event_id, tabindex: -1 },
    h('span', { class: 'sev-dot', 'aria-label': e.severity }),
    h('span', { class: 'ev-icon', 'aria-hidden': 'true' }, icon(e)),
    h('div', { class: 'ev-body' }, sentence, h('div', { class: 'ev-meta' }, time, ' ', e.event_type, ' ', details)),
  )
  return { dom, update() {} }
}

export function createStream(deps: StreamDeps): Panel<State> {
  const bag = new Disposables()
  const chips = FEEDS.map((feed) => {
    const b = h(
      'button',
      { type: 'button', class: 'chip', 'aria-pressed': 'false', 'data-feed': feed },
      FEED_LABEL[feed],
    )
    b.addEventListener('click', () => deps.setFeed(feed))
    return b
  })
  const pause = h('button', { type: 'button', class: 'pause', 'aria-pressed': 'false' }, 'Pause')
  const newPill = h('button', { type: 'button', class: 'new-pill', hidden: true })
  const status = new PanelStatus(deps.retry)
  const list = h('ol', { class: 'stream-list', 'aria-live': 'off' })
  const scroller = h('div', { class: 'stream-scroll' }, list)
  const dom = h(
    'aside',
    { class: 'activity', 'aria-label': 'Activity stream' },
    h('div', { class: 'panel-head' }, h('h2', null, 'Activity'), pause),
    h('div', { class: 'chips', role: 'group', 'aria-label': 'Stream filter' }, ...chips),
    status.dom,
    newPill,
    scroller,
  )
  const rows = new Map<string, Row<WireEvent>>()
  let paused = false
  let held: WireEvent[] | null = null
  let pending = 0
  let last: State | null = null
  pause.addEventListener('click', () => {
    paused = !paused
    pause.setAttribute('aria-pressed', String(paused))
    setText(pause, paused ? 'Resume' : 'Pause')
    if (!paused && last !== null) render(last)
  })
  newPill.addEventListener('click', () => {
    scroller.scrollTop = 0
  })
  bag.on(scroller, 'scroll', () => {
    if (scroller.scrollTop <= 4 && last !== null) render(last)
  })
  bag.interval(() => {
    for (const t of list.querySelectorAll('time')) {
      const iso = t.getAttribute('datetime')
      if (iso !== null) setText(t, clockTime(iso))
    }
  }, 10_000)

  function render(state: State) {
    const shown = filterStream(state.events, {
      feed: state.url.feed,
      agent: state.url.agent,
      sev: state.url.sev,
    }).slice(0, RENDERED)
    const away = scroller.scrollTop > 4
    if ((paused || away) && held !== null) {
      const heldIds = new Set(held.map((e) => e.event_id))
      pending = shown.filter((e) => !heldIds.has(e.event_id)).length
      newPill.hidden = pending === 0
      setText(newPill, `${pending} new event${pending === 1 ? '' : 's'}`)
      return
    }
    held = shown
    pending = 0
    newPill.hidden = true
    const filtered = state.url.feed !== 'all' || state.url.agent !== null || state.url.sev !== null
    status.update(
      { ...state.eventsStatus, data: state.eventsStatus.data === null ? null : shown },
      (d) => d.length === 0,
      filtered ? 'No events match these filters' : 'No events yet',
      deps.now(),
    )
    reconcile(
      list,
      rows,
      shown,
      (e) => e.event_id,
      (e) => createLine(deps, e),
    )
  }

  return {
    dom,
    update(state) {
      if (last !== null && (last.url.feed !== state.url.feed || last.url.agent !== state.url.agent)) held = null
      last = state
      chips.forEach((c) => c.setAttribute('aria-pressed', String(c.dataset.feed === state.url.feed)))
      render(state)
    },
    destroy() {
      bag.dispose()
    },
  }
}
