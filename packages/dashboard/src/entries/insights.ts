/**
 * Insights page (dashboard.md D54–D57): polls /v1/insights every 60 s; until the endpoint lands the page shows
 * the panel error state with Retry. The Investigation section (per-agent endpoints) is not built yet.
 */
import { boot } from '../app/boot.js'
import { formatAgo } from '../lib/format.js'
import { h } from '../lib/h.js'
import { parseUrlState } from '../lib/url.js'
import { renderInsights, type Insights } from '../insights/sections.js'

const root = document.getElementById('app')
if (root !== null) {
  boot(root, ({ api }) => {
    const url = parseUrlState(location.search)
    const updated = h('span', { class: 'muted' })
    const refresh = h('button', { type: 'button' }, 'Refresh')
    const body = h('section', { class: 'insights-body', 'aria-live': 'polite' })
    let at: number | null = null
    const load = async () => {
      try {
        const data = await api.get<Insights>('/v1/insights', {
          range: url.range === '1h' ? '24h' : url.range,
          environment: url.env,
          project_id: url.project,
          agent_id: url.agent,
        })
        const newest = await api
          .get<{ data: { timestamp: string }[] }>('/v1/events', {
            limit: 1,
            environment: url.env,
            project_id: url.project,
          })
          .then((p) => p.data[0]?.timestamp ?? null)
          .catch(() => null)
        at = Date.now()
        const age = newest === null ? null : (api.clock.now() - Date.parse(newest)) / 1000
        body.replaceChildren(...renderInsights(data, age))
      } catch (e) {
        const retry = h('button', { type: 'button' }, 'Retry')
        retry.addEventListener('click', () => void load())
        const msg = e instanceof Error ? e.message : 'Failed'
        body.replaceChildren(
          h('div', { class: 'panel-status is-error' }, h('span', { class: 'error-text' }, msg), ' ', retry),
        )
      }
    }
    refresh.addEventListener('click', () => void load())
    setInterval(() => {
      updated.textContent = at === null ? '' : `Updated ${formatAgo((Date.now() - at) / 1000)} ago`
    }, 1000)
    setInterval(() => {
      if (document.visibilityState === 'visible') void load()
    }, 60_000)
    root.replaceChildren(
      h(
        'header',
        { class: 'topbar' },
        h('a', { class: 'logo', href: '/static/index.html' }, '⬡ HiveBoard'),
        h(
          'nav',
          { class: 'nav' },
          h('a', { class: 'nav-tab', href: '/static/index.html' }, 'Mission Control'),
          h('a', { class: 'nav-tab', href: '/static/insights.html', 'aria-current': 'page' }, 'Insights'),
        ),
        h('div', { class: 'topbar-right' }, updated, refresh),
      ),
      h('main', { class: 'account-layout' }, h('h1', null, 'Insights'), body),
    )
    root.removeAttribute('aria-busy')
    void load()
  })
}
