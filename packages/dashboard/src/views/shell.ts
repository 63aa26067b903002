/** Top bar (D18), filter bar (D20) and live pill (D14). */
import { identityMenu } from '../account/identity.js'
import type { Credential } from '../lib/config.js'
import { h, setText, type Panel } from '../lib/h.js'
import { RANGES, type Range, type View } from '../lib/url.js'
import { openAlerts } from '../store/alerts.js'
import type { LiveStatus, State } from '../store/state.js'

export interface ShellDeps {
  go: (view: View) => void
  setRange: (range: Range) => void
  setEnv: (env: string | null) => void
  clearFilters: () => void
  forgetKey: () => void
  credential: Credential
}

export function pillText(s: LiveStatus): string {
  switch (s.kind) {
    case 'connecting':
      return 'Connecting…'
    case 'live':
      return 'Live'
    case 'reconnecting':
      return `Reconnecting in ${s.inSeconds} s`
    case 'polling':
      return s.reason === null ? 'Polling' : `Polling (${s.reason})`
    case 'offline':
      return 'Offline'
  }
}

const TABS: [View, string][] = [
  ['mission', 'Mission Control'],
  ['cost', 'Costs'],
  ['pipeline', 'Pipeline'],
  ['alerts', 'Alerts'],
]

export function createTopBar(deps: ShellDeps): Panel<State> {
  const tabs = TABS.map(([view, label]) => {
    const b = h('button', { type: 'button', class: 'nav-tab', 'data-view': view }, label)
    b.addEventListener('click', () => deps.go(view))
    return b
  })
  // D18: the Alerts tab counts open alerts.
  const alertBadge = h('span', { class: 'tab-badge', 'aria-label': 'open alerts' })
  alertBadge.hidden = true
  tabs.find((b) => b.dataset.view === 'alerts')?.append(' ', alertBadge)
  const insights = h('a', { class: 'nav-tab', href: '/static/insights.html' }, 'Insights')
  const env = h(
    'select',
    { 'aria-label': 'Environment', class: 'env-select' },
    h('option', { value: '' }, 'All environments'),
  )
  env.addEventListener('change', () => deps.setEnv(env.value === '' ? null : env.value))
  const range = h(
    'select',
    { 'aria-label': 'Range', class: 'range-select' },
    ...RANGES.map((r) => h('option', { value: r }, r)),
  )
  range.addEventListener('change', () => deps.setRange(range.value as Range))
  const pill = h('span', { class: 'pill', role: 'status', 'aria-live': 'polite' })
  const c = deps.credential
  const identity = identityMenu({ credential: c, forgetKey: deps.forgetKey })
  const testBadge =
    c.kind === 'key' && c.key.startsWith('hb_test_') ? h('span', { class: 'test-badge' }, 'TEST DATA') : null
  const dom = h(
    'header',
    { class: 'topbar' },
    h('a', { class: 'logo', href: '/static/index.html' }, '⬡ HiveBoard'),
    h('nav', { class: 'nav', 'aria-label': 'Views' }, ...tabs, insights),
    h('div', { class: 'topbar-right' }, env, range, pill, testBadge, identity),
  )
  const envs = new Set<string>()
  return {
    dom,
    update(state) {
      for (const b of tabs) {
        const active =
          b.dataset.view === state.url.view ||
          (b.dataset.view === 'mission' && ['agent', 'task'].includes(state.url.view))
        b.setAttribute('aria-current', active ? 'page' : 'false')
      }
      for (const a of state.agents.data ?? []) {
        if (!envs.has(a.environment)) {
          envs.add(a.environment)
          env.append(h('option', { value: a.environment }, a.environment))
        }
      }
      if (state.url.env !== null && !envs.has(state.url.env)) {
        envs.add(state.url.env)
        env.append(h('option', { value: state.url.env }, state.url.env))
      }
      const open = openAlerts(state.alerts, Date.now(), state.agents.data).length
      setText(alertBadge, String(open))
      alertBadge.hidden = open === 0
      env.value = state.url.env ?? ''
      range.value = state.url.range
      setText(pill, pillText(state.live))
      pill.className = `pill pill-${state.live.kind}`
      const stale = state.agents.updatedAt !== null && Date.now() - state.agents.updatedAt > 60_000
      document.body.classList.toggle('is-stale', stale)
    },
    destroy() {},
  }
}

export function createFilterBar(deps: ShellDeps): Panel<State> {
  const text = h('span', { class: 'filter-text' })
  const clear = h('button', { type: 'button', class: 'link' }, 'Clear (Esc)')
  clear.addEventListener('click', deps.clearFilters)
  const dom = h('div', { class: 'filter-bar', role: 'region', 'aria-label': 'Active filters' }, text, ' ', clear)
  return {
    dom,
    update(state) {
      const parts = [
        state.url.agent === null ? null : `agent = ${state.url.agent}`,
        state.url.status === null ? null : `status = ${state.url.status}`,
      ].filter((x) => x !== null)
      dom.hidden = parts.length === 0 || state.url.view !== 'mission'
      setText(text, `Filtering: ${parts.join(' · ')}`)
    },
    destroy() {},
  }
}
