/** home.html (dashboard.md D62, D64): session required; hash sections. */
import { clearSession, hasValidSession, sdkSnippet } from '../account/session.js'
import { page } from '../account/form.js'
import { ApiClient } from '../lib/api.js'
import { API_KEY_STORAGE, loadConfig, loginUrl } from '../lib/config.js'
import { h } from '../lib/h.js'
import { renderSection, SECTIONS, type Section } from '../account/home-sections.js'

const root = document.getElementById('app')
if (root !== null) {
  if (!hasValidSession(localStorage, Date.now())) {
    clearSession(localStorage)
    location.replace(loginUrl(location.pathname + location.hash))
  } else render(root)
}

function render(root: HTMLElement): void {
  const config = loadConfig()
  const api = new ApiClient({
    endpoint: config.endpoint,
    token: () => localStorage.getItem('hb_token'),
    onUnauthorized: () => {
      clearSession(localStorage)
      location.replace(loginUrl('/home.html', 'session_expired'))
    },
  })
  const tenant = JSON.parse(localStorage.getItem('hb_tenant') ?? '{}') as { name?: string }
  const nav = h('nav', { class: 'account-nav', 'aria-label': 'Account sections' })
  for (const s of SECTIONS) nav.append(h('a', { href: `#${s}`, 'data-section': s }, s[0]?.toUpperCase() + s.slice(1)))
  const open = h('button', { type: 'button', class: 'open-dashboard' }, 'Open dashboard')
  open.addEventListener('click', () => void openDashboard(api))
  const signOut = h('button', { type: 'button' }, 'Sign out')
  signOut.addEventListener('click', () => {
    clearSession(localStorage)
    location.replace('/login.html')
  })
  const body = h('section', { class: 'section-body' })
  page(
    root,
    h(
      'div',
      { class: 'account-layout' },
      h('header', { class: 'panel-head' }, h('h1', null, tenant.name ?? 'Your workspace'), open, signOut),
      nav,
      body,
    ),
  )
  const show = () => {
    const id = (location.hash.slice(1) || 'overview') as Section
    const section: Section = SECTIONS.includes(id) ? id : 'overview'
    for (const a of nav.querySelectorAll('a'))
      a.setAttribute('aria-current', a.dataset.section === section ? 'page' : 'false')
    void renderSection(section, body, api, () => sdkSnippet(localStorage.getItem(API_KEY_STORAGE), config.endpoint))
  }
  window.addEventListener('hashchange', show)
  show()
}

/** D64: make sure this browser holds an active key before opening the dashboard. */
async function openDashboard(api: ApiClient): Promise<void> {
  const stored = localStorage.getItem(API_KEY_STORAGE)
  try {
    const keys = await api.get<{ data: { key_prefix: string; is_active: boolean }[] }>('/v1/api-keys')
    const ok = stored !== null && keys.data.some((k) => k.is_active && stored.startsWith(k.key_prefix))
    if (!ok) {
      const created = await api.request<{ raw_key: string }>(
        '/v1/api-keys',
        {},
        { method: 'POST', body: { label: 'Dashboard (this browser)', key_type: 'read' } },
      )
      localStorage.setItem(API_KEY_STORAGE, created.raw_key)
    }
  } catch {
    // fall through: the dashboard shows its own Connect card or login
  }
  location.assign('/static/index.html')
}
