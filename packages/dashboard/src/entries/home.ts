/** home.html (dashboard.md D62–D64): session required; `/v1/users/me` drives the controls; hash sections. */
import { identityMenu } from '../account/identity.js'
import { page } from '../account/form.js'
import { renderSection, SECTIONS, SECTION_TITLES, type Section } from '../account/home-sections.js'
import type { MeUser } from '../account/home-ui.js'
import { canManageTeam } from '../account/roles.js'
import { clearSession, hasValidSession, readSessionTenant } from '../account/session.js'
import { ApiClient, ApiError } from '../lib/api.js'
import { API_KEY_STORAGE, loadConfig, loginUrl } from '../lib/config.js'
import { h } from '../lib/h.js'

const root = document.getElementById('app')
if (root !== null) {
  if (!hasValidSession(localStorage, Date.now())) {
    clearSession(localStorage)
    location.replace(loginUrl(location.pathname + location.hash))
  } else void start(root)
}

async function start(root: HTMLElement): Promise<void> {
  const config = loadConfig()
  const token = () => (hasValidSession(localStorage, Date.now()) ? localStorage.getItem('hb_token') : null)
  const api = new ApiClient({
    endpoint: config.endpoint,
    token,
    onUnauthorized: () => {
      clearSession(localStorage)
      location.replace(loginUrl(location.pathname + location.hash, 'session_expired'))
    },
  })
  const passwordApi = new ApiClient({ endpoint: config.endpoint, token })
  let me: MeUser
  try {
    me = await api.get<MeUser>('/v1/users/me')
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return
    const retry = h('button', { type: 'button' }, 'Retry')
    retry.addEventListener('click', () => location.reload())
    page(
      root,
      h(
        'main',
        { class: 'center-page' },
        h(
          'div',
          { class: 'card' },
          h('h1', null, 'HiveBoard'),
          h('p', { class: 'error-text', role: 'alert' }, e instanceof ApiError ? e.message : 'Something went wrong'),
          retry,
        ),
      ),
    )
    return
  }
  const tenant = readSessionTenant(localStorage)
  const ctx = { api, passwordApi, me, tenant, endpoint: config.endpoint, origin: location.origin }
  const visible = SECTIONS.filter((s) => s !== 'team' || canManageTeam(me))
  const nav = h('nav', { class: 'account-nav', 'aria-label': 'Account sections' })
  for (const s of visible) nav.append(h('a', { href: `#${s}`, 'data-section': s }, SECTION_TITLES[s]))
  const open = h('button', { type: 'button', class: 'open-dashboard primary' }, 'Open dashboard')
  const openError = h('p', { class: 'error-text', role: 'alert' })
  open.addEventListener('click', () => {
    open.disabled = true
    void openDashboard(api).catch((e: unknown) => {
      open.disabled = false
      openError.textContent = e instanceof ApiError ? e.message : 'Something went wrong'
    })
  })
  const identity = identityMenu({
    credential: { kind: 'session', token: localStorage.getItem('hb_token') ?? '' },
    endpoint: config.endpoint,
    onHome: true,
    role: me.role,
  })
  const body = h('section', { class: 'section-body', 'aria-live': 'polite' })
  page(
    root,
    h(
      'div',
      { class: 'account-layout' },
      h(
        'header',
        { class: 'account-head' },
        h('h1', null, tenant?.name ?? 'Your workspace'),
        h('div', { class: 'account-head-right' }, open, identity),
      ),
      openError,
      nav,
      h('main', null, body),
    ),
  )
  const show = () => {
    const id = location.hash.slice(1)
    const section: Section = (visible as readonly string[]).includes(id) ? (id as Section) : 'overview'
    for (const a of nav.querySelectorAll('a'))
      a.setAttribute('aria-current', a.dataset.section === section ? 'page' : 'false')
    renderSection(section, body, ctx)
  }
  window.addEventListener('hashchange', show)
  show()
}

/**
 * D64 with its Beyond: a stored key of this workspace that is still active keeps serving the dashboard (D6 puts it
 * before the session); one that is not is forgotten, so the dashboard opens on this session. No key is created.
 */
async function openDashboard(api: ApiClient): Promise<void> {
  const stored = localStorage.getItem(API_KEY_STORAGE)
  if (stored !== null) {
    const keys = await api.get<{ data: { key_prefix: string; is_active: boolean }[] }>('/v1/api-keys')
    if (!keys.data.some((k) => k.is_active && stored.startsWith(k.key_prefix))) localStorage.removeItem(API_KEY_STORAGE)
  }
  location.assign('/static/index.html')
}
