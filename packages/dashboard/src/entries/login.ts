/** login.html (dashboard.md D60). */
import { hasValidSession, loginErrorText, REDIRECT_REASONS, signIn } from '../account/session.js'
import { field, page, pending, showFieldErrors } from '../account/form.js'
import { ApiClient, ApiError } from '../lib/api.js'
import { loadConfig, safeNext } from '../lib/config.js'
import { h } from '../lib/h.js'

const root = document.getElementById('app')
const params = new URLSearchParams(location.search)
const next = safeNext(params.get('next'))
if (root !== null) {
  if (hasValidSession(localStorage, Date.now())) location.replace(next)
  else render(root)
}

function render(root: HTMLElement): void {
  const api = new ApiClient({ endpoint: loadConfig().endpoint, token: () => null })
  const email = field('email', 'E-mail', 'email', { autocomplete: 'email', required: '' })
  const password = field('password', 'Password', 'password', { autocomplete: 'current-password', required: '' })
  email.input.value = params.get('email') ?? ''
  const error = h('p', { class: 'error-text', role: 'alert' })
  const reason = REDIRECT_REASONS[params.get('reason') ?? '']
  const submit = h('button', { type: 'submit' }, 'Sign in')
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    h('h1', null, 'Sign in to HiveBoard'),
    reason === undefined ? null : h('p', { class: 'banner warn' }, reason),
    email.dom,
    password.dom,
    error,
    submit,
    h('p', { class: 'muted' }, 'No workspace yet? ', h('a', { href: '/register.html' }, 'Create one')),
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    error.textContent = ''
    void pending(submit, async () => {
      try {
        const body = { email: email.input.value.trim(), password: password.input.value }
        await signIn(api, localStorage, body)
        location.replace(next)
      } catch (e) {
        if (!showFieldErrors([email, password], e) && e instanceof ApiError) error.textContent = loginErrorText(e)
      }
    })
  })
  page(root, h('main', { class: 'center-page' }, form))
}
