/** home.html#keys (D62): list; new live/test/read key shown once with Copy; revoke with confirmation. */
import { copyButton, field, selectField } from './form.js'
import { canRevokeKey, creatableKeyTypes } from './roles.js'
import { sdkSnippet } from './session.js'
import { API_KEY_STORAGE } from '../lib/config.js'
import { h } from '../lib/h.js'
import {
  type HomeContext,
  type ApiKey,
  type CreatedKey,
  dateText,
  table,
  row,
  actionLine,
  listPanel,
  rowAction,
  secretBox,
  submitButton,
  wire,
  formError,
} from './home-ui.js'

export function keys(ctx: HomeContext): HTMLElement[] {
  const actionError = actionLine()
  const types = creatableKeyTypes(ctx.me)
  const label = field('label', 'Label', 'text', { maxlength: '100', placeholder: 'API key' }, 'key-')
  const TYPE_TEXT: Record<string, string> = {
    live: 'live — send and read production data',
    test: 'test — send and read test data only',
    read: 'read — read only (dashboards)',
  }
  const type = selectField(
    'key_type',
    'Type',
    types.map((t) => [t, TYPE_TEXT[t] ?? t] as const),
    'key-',
  )
  const submit = submitButton('Create key')
  const error = formError()
  const created = h('div', { class: 'created-slot' })
  const form = h(
    'form',
    { class: 'inline-form key-form', novalidate: true },
    h('h3', null, 'New API key'),
    label.dom,
    type.dom,
    ctx.me.role === 'viewer' ? h('p', { class: 'muted' }, 'Viewers can create read keys only.') : null,
    error,
    submit,
  )
  wire(form, submit, [label, type], error, async () => {
    const body: Record<string, string> = { key_type: type.input.value }
    if (label.input.value.trim() !== '') body.label = label.input.value.trim()
    const k = await ctx.api.request<CreatedKey>('/v1/api-keys', {}, { method: 'POST', body })
    const use = h('button', { type: 'button', class: 'use-key' }, 'Use for the dashboard in this browser')
    use.addEventListener('click', () => {
      localStorage.setItem(API_KEY_STORAGE, k.raw_key)
      use.disabled = true
      use.textContent = 'The dashboard in this browser now uses this key'
      void list.reload()
    })
    const more: HTMLElement[] = [h('div', { class: 'row-actions' }, use)]
    if (k.key_type !== 'read') {
      const snippet = sdkSnippet(k.raw_key, ctx.endpoint)
      more.push(
        h('h3', null, 'Connect an agent with this key'),
        h('pre', { class: 'snippet sdk-snippet' }, snippet),
        copyButton(() => snippet, 'Copy snippet'),
      )
    }
    created.replaceChildren(
      secretBox(`Key "${k.label}" created`, "Save this key now — it won't be shown again", k.raw_key, more),
    )
    form.reset()
    await list.reload()
  })
  const list = listPanel(async () => {
    const k = await ctx.api.get<{ data: ApiKey[] }>('/v1/api-keys')
    const stored = localStorage.getItem(API_KEY_STORAGE)
    const rows = k.data.map((x) => {
      const mine = stored !== null && x.is_active && stored.startsWith(x.key_prefix)
      let action: HTMLElement | string = ''
      if (canRevokeKey(ctx.me, x)) {
        const revoke = h('button', { type: 'button', class: 'revoke danger' }, 'Revoke')
        rowAction(
          revoke,
          actionError,
          async () => {
            await ctx.api.request(`/v1/api-keys/${encodeURIComponent(x.key_id)}`, {}, { method: 'DELETE' })
            if (mine) localStorage.removeItem(API_KEY_STORAGE)
            await list.reload()
          },
          {
            ask: () => ({
              title: `Revoke "${x.label}"?`,
              text: `Anything using ${x.key_prefix}… stops working at its next request. This cannot be undone.`,
              confirmLabel: 'Revoke key',
              danger: true,
            }),
          },
        )
        action = revoke
      }
      return row(
        [
          x.label,
          h(
            'span',
            { class: 'mono' },
            `${x.key_prefix}…`,
            mine ? h('span', { class: 'muted this-browser' }, ' (this browser)') : null,
          ),
          x.key_type,
          dateText(x.last_used_at),
          x.is_active ? 'active' : 'revoked',
          action,
        ],
        { 'data-prefix': x.key_prefix, 'data-active': String(x.is_active) },
      )
    })
    return [table(['Label', 'Key', 'Type', 'Last used', 'Status', 'Actions'], rows, 'keys-table')]
  })
  void list.reload()
  return [created, form, list.dom, actionError]
}
