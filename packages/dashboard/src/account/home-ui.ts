/** Shared pieces of the home.html sections (D58, D62): context, row/table builders, forms, one-time secrets. */
import { confirmDialog, type ConfirmOptions } from './confirm.js'
import { copyButton, pending, showFieldErrors, type Field, type SelectField } from './form.js'
import type { Me } from './roles.js'
import { accountErrorText, type SessionTenant } from './session.js'
import { ApiError, type ApiClient } from '../lib/api.js'
import { h, type Child } from '../lib/h.js'

export interface MeUser extends Me {
  name: string
  email: string
  tenant_id: string
}

export interface HomeContext {
  api: ApiClient
  /** Same session, but a 401 does not sign out: change-password answers 401 for a wrong current password. */
  passwordApi: ApiClient
  me: MeUser
  tenant: SessionTenant | null
  /** API endpoint (CONFIG, D4/D5) for the SDK snippet. */
  endpoint: string
  /** The pages' own origin, for invite links. */
  origin: string
}

export interface Project {
  project_id: string
  name: string
  slug: string
  description: string | null
  agent_count: number
  event_count: number
  is_archived: boolean
  merged_into: string | null
}
export interface ApiKey {
  key_id: string
  label: string
  key_prefix: string
  key_type: string
  created_by_user_id: string | null
  created_at: string
  last_used_at: string | null
  is_active: boolean
}
export interface CreatedKey {
  key_prefix: string
  key_type: string
  label: string
  raw_key: string
}
export interface User {
  user_id: string
  name: string
  email: string
  role: string
  is_active: boolean
  last_login_at: string | null
}
export interface Invite {
  invite_id: string
  email: string
  role: string
  status: string
  expires_at: string
}
export interface CreatedInvite {
  email: string
  role: string
  expires_at: string
  invite_token: string
}
export interface PricingEntry {
  model_pattern: string
  provider: string
  input_per_m: number
  output_per_m: number
  source: string
}

export function errorText(e: unknown, overrides: Record<string, string> = {}): string {
  return e instanceof ApiError ? accountErrorText(e, overrides) : 'Something went wrong'
}

export function dateText(iso: string | null): string {
  if (iso === null) return 'never'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString()
}

export function table(headers: string[], rows: HTMLElement[], cls: string): HTMLElement {
  return h(
    'table',
    { class: `account-table ${cls}` },
    h('thead', null, h('tr', null, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', null, ...rows),
  )
}

export function row(cells: Child[], attrs: Record<string, string> = {}): HTMLElement {
  return h('tr', attrs, ...cells.map((c) => h('td', null, c)))
}

/** The section's alert line for row actions (revoke, archive, role change…): the server's refusal in words. */
export function actionLine(): HTMLElement {
  return h('p', { class: 'error-text action-error', role: 'alert' })
}

/**
 * A row action (revoke, cancel, remove, archive…): clears the section's alert line, runs `work` with the button
 * busy, and shows the server's refusal on the line. `ask` first opens the confirm modal; No does nothing.
 */
export function rowAction(
  button: HTMLButtonElement,
  line: HTMLElement,
  work: () => Promise<unknown>,
  o: { ask?: (() => ConfirmOptions) | undefined; codeText?: Record<string, string> } = {},
): void {
  button.addEventListener('click', () => {
    void (o.ask === undefined ? Promise.resolve(true) : confirmDialog(o.ask())).then((yes) => {
      if (!yes) return
      line.textContent = ''
      void pending(button, async () => {
        try {
          await work()
        } catch (e) {
          line.textContent = errorText(e, o.codeText)
        }
      })
    })
  })
}

/** A list that loads, reloads after writes, and shows the D21 error with Retry while keeping what it had. */
export function listPanel(load: () => Promise<HTMLElement[]>): { dom: HTMLElement; reload: () => Promise<void> } {
  const dom = h('div', { class: 'list-panel', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'))
  const reload = async (): Promise<void> => {
    dom.setAttribute('aria-busy', 'true')
    try {
      dom.replaceChildren(...(await load()))
    } catch (e) {
      const retry = h('button', { type: 'button', class: 'retry' }, 'Retry')
      retry.addEventListener('click', () => void reload())
      dom.querySelector('.panel-status')?.remove()
      dom.prepend(h('div', { class: 'panel-status is-error' }, h('span', { class: 'error-text' }, errorText(e)), retry))
    } finally {
      dom.removeAttribute('aria-busy')
    }
  }
  return { dom, reload }
}

/** Shown once after a create (raw key, invite link): never stored, gone when dismissed or the page is left. */
export function secretBox(title: string, warning: string, secret: string, more: HTMLElement[] = []): HTMLElement {
  const done = h('button', { type: 'button', class: 'link' }, 'Done')
  const box = h(
    'div',
    { class: 'secret-box', role: 'status' },
    h('h3', null, title),
    h('p', { class: 'banner warn' }, warning),
    h('pre', { class: 'snippet secret' }, secret),
    h(
      'div',
      { class: 'row-actions' },
      copyButton(() => secret),
      done,
    ),
    ...more,
  )
  done.addEventListener('click', () => box.remove())
  return box
}

export function submitButton(label: string): HTMLButtonElement {
  return h('button', { type: 'submit', class: 'primary' }, label)
}

/** Runs a form's request: busy submit, field errors on their fields, else the message in words (D58). */
export function wire(
  form: HTMLFormElement,
  submit: HTMLButtonElement,
  fields: readonly (Field | SelectField)[],
  error: HTMLElement,
  work: () => Promise<void>,
  overrides: Record<string, string> = {},
): void {
  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    error.textContent = ''
    showFieldErrors(fields, null)
    void pending(submit, async () => {
      try {
        await work()
      } catch (e) {
        if (!showFieldErrors(fields, e)) error.textContent = errorText(e, overrides)
      }
    })
  })
}

export function formError(): HTMLElement {
  return h('p', { class: 'error-text form-error', role: 'alert' })
}
