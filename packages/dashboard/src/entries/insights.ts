/**
 * Insights page (dashboard.md D54): polls /v1/insights every 60 s. The endpoint is being built; until then the
 * page shows the panel error state with Retry. Sections and D57 formulas come with the endpoint.
 */
import { boot } from '../app/boot.js'
import { formatAgo } from '../lib/format.js'
import { h } from '../lib/h.js'
import { parseUrlState } from '../lib/url.js'

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
        const data = await api.get<Record<string, unknown>>('/v1/insights', {
          range: url.range === '1h' ? '24h' : url.range,
          environment: url.env,
          project_id: url.project,
          agent_id: url.agent,
        })
        at = Date.now()
        body.replaceChildren(
          ...Object.entries(data).map(([k, v]) =>
            h(
              'details',
              { open: true },
              h('summary', null, k),
              h('pre', { class: 'snippet' }, JSON.stringify(v, null, 2)),
            ),
          ),
        )
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
