/** register.html (dashboard.md D59): live slug check, one-time key display, then signed in on home (Beyond). */
import { accountErrorText, passwordProblem, sdkSnippet, signIn, slugify, storeApiKey } from '../account/session.js'
import { copyButton, field, page, pending, showFieldErrors } from '../account/form.js'
import { ApiClient, ApiError } from '../lib/api.js'
import { loadConfig } from '../lib/config.js'
import { h } from '../lib/h.js'

interface Registered {
  tenant: { slug: string; name: string }
  api_key: string
}

const root = document.getElementById('app')
if (root !== null) render(root)

function render(root: HTMLElement): void {
  const config = loadConfig()
  const api = new ApiClient({ endpoint: config.endpoint, token: () => null })
  const name = field('name', 'Your name', 'text', { autocomplete: 'name' })
  const email = field('email', 'E-mail', 'email', { autocomplete: 'email' })
  const password = field('password', 'Password (6–72 characters)', 'password', { autocomplete: 'new-password' })
  const workspace = field('tenant_name', 'Workspace name')
  const slugLine = h('p', { class: 'muted slug-line', 'aria-live': 'polite' })
  workspace.dom.append(slugLine)
  const error = h('p', { class: 'error-text', role: 'alert' })
  const submit = h('button', { type: 'submit' }, 'Create workspace')
  const fields = [name, email, password, workspace]
  let seq = 0
  let timer: ReturnType<typeof setTimeout> | null = null
  const check = () => {
    const slug = slugify(workspace.input.value)
    const mine = ++seq
    if (slug === '') {
      slugLine.textContent = ''
      return
    }
    slugLine.textContent = `${slug} · Checking…`
    api
      .get<{ slug: string; available: boolean }>('/v1/auth/check-slug', { slug })
      .then((r) => {
        if (mine === seq) slugLine.textContent = `${r.slug} · ${r.available ? '✓ available' : '✗ taken'}`
      })
      .catch(() => {
        if (mine === seq) slugLine.textContent = slug
      })
  }
  workspace.input.addEventListener('input', () => {
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(check, 300)
  })
  workspace.input.addEventListener('blur', check)
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    h('h1', null, 'Create a HiveBoard workspace'),
    ...fields.map((f) => f.dom),
    error,
    submit,
    h('p', { class: 'muted' }, 'Already registered? ', h('a', { href: '/login.html' }, 'Sign in')),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    error.textContent = ''
    const problem = passwordProblem(password.input.value)
    password.error.textContent = problem ?? ''
    if (problem !== null) return
    void pending(submit, async () => {
      try {
        const body = {
          name: name.input.value.trim(),
          email: email.input.value.trim(),
          password: password.input.value,
          tenant_name: workspace.input.value.trim(),
        }
        const r = await api.request<Registered>('/v1/auth/register', {}, { method: 'POST', body })
        storeApiKey(localStorage, r.api_key)
        done(root, r, { email: body.email, password: body.password }, api, config.endpoint)
      } catch (e) {
        if (!showFieldErrors(fields, e) && e instanceof ApiError) error.textContent = accountErrorText(e)
      }
    })
  })
  page(root, h('main', { class: 'center-page' }, form))
}

/**
 * The key is shown here only. Continue signs in with the credentials just typed — held in this closure, never
 * stored — and opens home; if that fails for any reason, login.html with the e-mail prefilled says so.
 */
function done(
  root: HTMLElement,
  r: Registered,
  credentials: { email: string; password: string },
  api: ApiClient,
  endpoint: string,
): void {
  const next = h('button', { type: 'button', class: 'button continue' }, 'Continue')
  next.addEventListener('click', () => {
    void pending(next, async () => {
      try {
        await signIn(api, localStorage, credentials)
        location.assign('/home.html')
      } catch {
        const query = new URLSearchParams({ email: credentials.email, reason: 'register_sign_in_failed' })
        location.assign(`/login.html?${query.toString()}`)
      }
    })
  })
  page(
    root,
    h(
      'main',
      { class: 'center-page' },
      h(
        'div',
        { class: 'card' },
        h('h1', null, 'Workspace created'),
        h('p', null, 'Workspace slug: ', h('strong', null, r.tenant.slug)),
        h('p', { class: 'banner warn' }, "Save this key now — it won't be shown again"),
        h('pre', { class: 'snippet api-key' }, r.api_key),
        copyButton(() => r.api_key),
        h('h3', null, 'Connect an agent'),
        h('pre', { class: 'snippet' }, sdkSnippet(r.api_key, endpoint)),
        next,
      ),
    ),
  )
}
