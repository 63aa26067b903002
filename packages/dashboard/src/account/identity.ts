/**
 * Identity menu (D8, D62) for the dashboard shell and home.html: who is signed in (name, role, workspace from the
 * session) and/or which key this browser uses (prefix and type); Account home, Change password, Forget this key,
 * Sign out, Sign out everywhere. Text only (D67).
 */
import { clearSession, hasValidSession, readSessionUser, readSessionTenant } from './session.js'
import { ApiClient, ApiError } from '../lib/api.js'
import { API_KEY_STORAGE, loadConfig, type Credential } from '../lib/config.js'
import { h } from '../lib/h.js'

export interface IdentityOptions {
  credential: Credential
  /** API endpoint for Sign out everywhere; defaults to this page's CONFIG (D4). */
  endpoint?: string
  /** On home.html: no "Account home" link, and the role from `/v1/users/me` (fresher than the stored one). */
  onHome?: boolean
  role?: string
  /** Dashboard: forget the key and reload (D7); absent → no such item. */
  forgetKey?: () => void
}

/** Sign-out removes every credential this browser holds (session and stored key), see README. */
export function forgetEverything(storage: Storage): void {
  clearSession(storage)
  storage.removeItem(API_KEY_STORAGE)
}

export function identityMenu(o: IdentityOptions): HTMLElement {
  const user = readSessionUser(localStorage)
  const tenant = readSessionTenant(localStorage)
  const token = localStorage.getItem('hb_token')
  // An expired session counts as none here (D9): its token would only earn a 401.
  const signedIn = user !== null && token !== null && hasValidSession(localStorage, Date.now())
  const key = o.credential.kind === 'key' ? o.credential.key : null
  const keyText = key === null ? null : `${key.slice(0, 12)}… (${key.split('_')[1] ?? 'key'} key)`
  const role = o.role ?? user?.role ?? ''
  const summary = signedIn ? `${user.name} · ${role}` : (keyText ?? 'Not signed in')
  const items: HTMLElement[] = []
  if (signedIn) {
    items.push(
      h(
        'div',
        { class: 'identity-who' },
        h('strong', { class: 'identity-name' }, user.name),
        h('span', { class: 'muted identity-role' }, `${role} · ${tenant?.name ?? ''}`),
        h('span', { class: 'muted' }, user.email),
      ),
    )
  }
  if (keyText !== null) items.push(h('span', { class: 'muted identity-key mono' }, `Key ${keyText}`))
  if (o.onHome !== true) items.push(h('a', { href: '/home.html' }, 'Account home'))
  if (signedIn) items.push(h('a', { href: '/home.html#settings', class: 'change-password-link' }, 'Change password'))
  if (key !== null && o.forgetKey !== undefined) {
    const forget = h('button', { type: 'button', class: 'link' }, 'Forget this key')
    forget.addEventListener('click', o.forgetKey)
    items.push(forget)
  }
  const error = h('p', { class: 'error-text identity-error', role: 'alert' })
  if (signedIn) {
    const signOut = h('button', { type: 'button', class: 'link sign-out' }, 'Sign out')
    signOut.addEventListener('click', () => {
      forgetEverything(localStorage)
      location.replace('/login.html?reason=signed_out')
    })
    const everywhere = h('button', { type: 'button', class: 'link sign-out-everywhere' }, 'Sign out everywhere')
    everywhere.addEventListener('click', () => {
      everywhere.disabled = true
      error.textContent = ''
      // The session token, not the dashboard's key: logout-all is JWT only (api.md §2.2).
      const api = new ApiClient({ endpoint: o.endpoint ?? loadConfig().endpoint, token: () => token })
      api
        .request('/v1/auth/logout-all', {}, { method: 'POST', body: {} })
        .then(() => {
          forgetEverything(localStorage)
          location.replace('/login.html?reason=signed_out_everywhere')
        })
        .catch((e: unknown) => {
          everywhere.disabled = false
          if (e instanceof ApiError && e.status === 401) {
            // Already dead everywhere: nothing left to revoke here either.
            forgetEverything(localStorage)
            location.replace('/login.html?reason=session_expired')
          } else error.textContent = e instanceof ApiError ? e.message : 'Something went wrong'
        })
    })
    items.push(signOut, everywhere)
  } else if (o.onHome !== true) {
    items.push(h('a', { href: `/login.html?${new URLSearchParams({ next: '/home.html' }).toString()}` }, 'Sign in'))
  }
  items.push(error)
  const menu = h('details', { class: 'identity' }, h('summary', null, summary), h('div', { class: 'menu' }, ...items))
  // Esc closes the open menu and gives focus back to its summary (D66).
  menu.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && menu.open) {
      ev.stopPropagation()
      menu.open = false
      menu.querySelector('summary')?.focus()
    }
  })
  return menu
}
