/** accept-invite.html (dashboard.md D61): the token stays in memory, stripped from the address bar. */
import { acceptInviteErrorText, passwordProblem, storeSession, type LoginResponse } from '../account/session.js'
import { field, page, pending, showFieldErrors } from '../account/form.js'
import { ApiClient, ApiError } from '../lib/api.js'
import { loadConfig } from '../lib/config.js'
import { h } from '../lib/h.js'

const root = document.getElementById('app')
const url = new URL(location.href)
const token = url.searchParams.get('token')
if (token !== null) {
  url.searchParams.delete('token')
  history.replaceState(null, '', url.pathname + url.search + url.hash)
}
if (root !== null) render(root, token)

function render(root: HTMLElement, token: string | null): void {
  if (token === null || token === '') {
    page(root, h('main', { class: 'center-page' }, h('div', { class: 'card' }, h('h1', null, 'Invalid invite link'))))
    return
  }
  const api = new ApiClient({ endpoint: loadConfig().endpoint, token: () => null })
  const name = field('name', 'Your name', 'text', { autocomplete: 'name', required: '' })
  const password = field('password', 'Choose a password', 'password', { autocomplete: 'new-password', required: '' })
  const error = h('p', { class: 'error-text', role: 'alert' })
  const submit = h('button', { type: 'submit' }, 'Join workspace')
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    h('h1', null, 'Accept your invite'),
    name.dom,
    password.dom,
    error,
    submit,
  )
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    error.textContent = ''
    const problem = passwordProblem(password.input.value)
    password.error.textContent = problem ?? ''
    if (problem !== null) return
    void pending(submit, async () => {
      try {
        const body = { invite_token: token, name: name.input.value.trim(), password: password.input.value }
        const r = await api.request<LoginResponse>('/v1/auth/accept-invite', {}, { method: 'POST', body })
        storeSession(localStorage, r, Date.now())
        location.replace('/home.html')
      } catch (e) {
        if (showFieldErrors([name, password], e) || !(e instanceof ApiError)) return
        error.textContent = acceptInviteErrorText(e)
        // A dead token stays dead: say what to do instead of inviting another try.
        if (e.status === 404) deadEnd(form, submit)
      }
    })
  })
  page(root, h('main', { class: 'center-page' }, form))
}

function deadEnd(form: HTMLFormElement, submit: HTMLButtonElement): void {
  submit.hidden = true
  form.append(
    h(
      'p',
      { class: 'muted dead-end' },
      'Ask whoever invited you for a new link, or ',
      h('a', { href: '/login.html' }, 'sign in'),
      ' if you already have an account.',
    ),
  )
}
