/** Page boot shared by the dashboard and insights (D6, D7): config, credential, API client, Connect card. */
import { ApiClient, ApiError } from '../lib/api.js'
import {
  API_KEY_PATTERN,
  API_KEY_STORAGE,
  credentialToken,
  loadConfig,
  loginUrl,
  resolveCredential,
  type Credential,
  type HiveConfig,
} from '../lib/config.js'
import { clear, h } from '../lib/h.js'

export interface Booted {
  config: HiveConfig
  api: ApiClient
  credential: Credential
  forgetKey: () => void
  onDeadCredential: () => void
}

function forgetAll(): void {
  for (const k of [API_KEY_STORAGE, 'hb_token', 'hb_user', 'hb_tenant', 'hb_token_exp']) localStorage.removeItem(k)
}

function here(): string {
  return location.pathname + location.search
}

/** Calls `start` with a credential; otherwise redirects to login (production) or shows the Connect card (local). */
export function boot(root: HTMLElement, start: (b: Booted) => void): void {
  const config = loadConfig()
  const { credential, cleanUrl } = resolveCredential(location.href, localStorage, Date.now())
  if (cleanUrl !== null) history.replaceState(history.state, '', cleanUrl)
  const onDeadCredential = () => {
    const wasKey = credential.kind === 'key'
    forgetAll()
    if (config.mode === 'production') {
      location.replace(loginUrl(here(), wasKey ? 'key_rejected' : 'session_expired'))
    } else {
      location.reload()
    }
  }
  const forgetKey = () => {
    forgetAll()
    location.reload()
  }
  if (credential.kind === 'none') {
    if (config.mode === 'production') {
      location.replace(loginUrl(here()))
      return
    }
    connectCard(root, config)
    return
  }
  let rejected = false
  const api = new ApiClient({
    endpoint: config.endpoint,
    token: () => credentialToken(credential),
    onUnauthorized: () => {
      if (rejected) return
      rejected = true
      onDeadCredential()
    },
  })
  start({ config, api, credential, forgetKey, onDeadCredential })
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
