/** Page boot shared by the dashboard and insights (D6, D7): config, credential, API client, Connect card. */
import { ApiClient, ApiError } from '../lib/api.js'
import {
  API_KEY_PATTERN,
  API_KEY_STORAGE,
  credentialToken,
  loadConfig,
  loginUrl,
  resolveCredential,
  validSessionToken,
  type Credential,
  type HiveConfig,
} from '../lib/config.js'
import { clear, h } from '../lib/h.js'
import { forgetEverything } from '../account/identity.js'
import { clearSession } from '../account/session.js'

export interface Booted {
  config: HiveConfig
  api: ApiClient
  credential: Credential
  /** The credential to send now (REST and live stream); null once a session has expired. */
  token: () => string | null
  forgetKey: () => void
  onDeadCredential: () => void
}

function here(): string {
  return location.pathname + location.search
}

/**
 * Calls `start` with a credential; otherwise redirects to login (production, or a session that has expired) or shows
 * the Connect card (local). A dead session always goes to login with `next` = this address (D9, D64 Beyond): the
 * session is cleared first, so login shows its form instead of sending the user straight back.
 */
export function boot(root: HTMLElement, start: (b: Booted) => void): void {
  const config = loadConfig()
  const hadSession = localStorage.getItem('hb_token') !== null
  const { credential, cleanUrl } = resolveCredential(location.href, localStorage, Date.now())
  if (cleanUrl !== null) history.replaceState(history.state, '', cleanUrl)
  let dead = false
  const onDeadCredential = () => {
    if (dead) return
    dead = true
    if (credential.kind === 'session') {
      clearSession(localStorage)
      location.replace(loginUrl(here(), 'session_expired'))
      return
    }
    forgetEverything(localStorage)
    if (config.mode === 'production') location.replace(loginUrl(here(), 'key_rejected'))
    else location.reload()
  }
  const forgetKey = () => {
    forgetEverything(localStorage)
    location.reload()
  }
  if (credential.kind === 'none') {
    if (hadSession) {
      clearSession(localStorage)
      location.replace(loginUrl(here(), 'session_expired'))
    } else if (config.mode === 'production') location.replace(loginUrl(here()))
    else connectCard(root, config)
    return
  }
  // D9: a session is checked before each request; one that has (nearly) expired is treated as refused.
  const token =
    credential.kind === 'session'
      ? () => {
          const valid = validSessionToken(localStorage, Date.now())
          if (valid === null) onDeadCredential()
          return valid
        }
      : () => credentialToken(credential)
  const api = new ApiClient({ endpoint: config.endpoint, token, onUnauthorized: onDeadCredential })
  start({ config, api, credential, token, forgetKey, onDeadCredential })
}

/** Local mode without a credential: paste a key (checked with /v1/agents?limit=1) or sign in (D6). */
export function connectCard(root: HTMLElement, config: HiveConfig): void {
  const input = h('input', {
    type: 'password',
    id: 'connect-key',
    autocomplete: 'off',
    placeholder: 'hb_live_…',
    'aria-describedby': 'connect-error',
  })
  const error = h('p', { id: 'connect-error', class: 'error-text', role: 'alert' })
  const submit = h('button', { type: 'submit' }, 'Connect')
  const form = h(
    'form',
    { class: 'card connect-card' },
    h('h1', null, 'Connect to HiveBoard'),
    h('p', null, 'Paste an API key to open the dashboard, or ', h('a', { href: loginUrl(here()) }, 'sign in'), '.'),
    h('label', { for: 'connect-key' }, 'API key'),
    input,
    error,
    submit,
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    const key = input.value.trim()
    if (!API_KEY_PATTERN.test(key)) {
      error.textContent = 'That does not look like a HiveBoard key (hb_live_…, hb_test_… or hb_read_…).'
      return
    }
    submit.disabled = true
    const api = new ApiClient({ endpoint: config.endpoint, token: () => key })
    api
      .get('/v1/agents', { limit: 1 })
      .then(() => {
        localStorage.setItem(API_KEY_STORAGE, key)
        location.reload()
      })
      .catch((e: unknown) => {
        submit.disabled = false
        error.textContent =
          e instanceof ApiError && e.status === 401
            ? 'This key was rejected.'
            : e instanceof ApiError
              ? e.message
              : 'Failed'
      })
  })
  clear(root)
  root.removeAttribute('aria-busy')
  root.append(h('main', { class: 'center-page' }, form))
}
