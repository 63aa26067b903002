/** home.html#settings (D62): profile, change password (stores the returned token, D9), pricing overrides. */
import { field } from './form.js'
import { builtinPrices, priceCells, PRICE_HEADERS, pricingEditor, priceValue } from './home-pricing-edit.js'
import { canEditPricing } from './roles.js'
import { passwordProblem, storeRenewedToken } from './session.js'
import { ApiError } from '../lib/api.js'
import { h } from '../lib/h.js'
import {
  type HomeContext,
  type PricingEntry,
  table,
  row,
  actionLine,
  listPanel,
  rowAction,
  submitButton,
  wire,
  formError,
} from './home-ui.js'

export function settings(ctx: HomeContext): HTMLElement[] {
  const profile = h(
    'dl',
    { class: 'kvs profile' },
    ...(
      [
        ['Name', ctx.me.name],
        ['E-mail', ctx.me.email],
        ['Role', ctx.me.role],
        ['Workspace', `${ctx.tenant?.name ?? '—'} (${ctx.tenant?.slug ?? '—'})`],
      ] as const
    ).map(([a, b]) => h('div', { class: 'kv' }, h('dt', null, a), h('dd', null, b))),
  )
  const current = field('current_password', 'Current password', 'password', { autocomplete: 'current-password' })
  const next = field('new_password', 'New password (6–72 characters)', 'password', { autocomplete: 'new-password' })
  const submit = submitButton('Change password')
  const error = formError()
  const done = h('p', { class: 'done-text', role: 'status' })
  const form = h(
    'form',
    { class: 'inline-form password-form', novalidate: true },
    h('h3', { id: 'change-password' }, 'Change password'),
    current.dom,
    next.dom,
    error,
    done,
    submit,
  )
  wire(form, submit, [current, next], error, async () => {
    done.textContent = ''
    const problem = passwordProblem(next.input.value)
    if (problem !== null) {
      next.error.textContent = problem
      return
    }
    try {
      const r = await ctx.passwordApi.request<{ token: string; expires_in: number }>(
        '/v1/auth/change-password',
        {},
        { method: 'POST', body: { current_password: current.input.value, new_password: next.input.value } },
      )
      // The old token is dead now (token version bumped): keep working with the returned one (D9).
      storeRenewedToken(localStorage, r.token, r.expires_in, Date.now())
      form.reset()
      done.textContent = 'Password changed. Other sessions are signed out.'
    } catch (e) {
      // 401 here means the current password was wrong, not that the session died (api.md §4.12).
      if (e instanceof ApiError && e.status === 401) current.error.textContent = 'Current password is incorrect.'
      else throw e
    }
  })
  const parts: HTMLElement[] = [h('h3', null, 'Profile'), profile, form]
  if (canEditPricing(ctx.me)) parts.push(...pricing(ctx))
  return parts
}

function pricing(ctx: HomeContext): HTMLElement[] {
  const actionError = actionLine()
  const pattern = field('model_pattern', 'Model pattern', 'text', { placeholder: 'gpt-4o' }, 'price-')
  const provider = field('provider', 'Provider', 'text', { placeholder: 'openai' }, 'price-')
  const input = field('input_per_m', 'Input $ / 1M tokens', 'number', { min: '0', step: 'any' }, 'price-')
  const output = field('output_per_m', 'Output $ / 1M tokens', 'number', { min: '0', step: 'any' }, 'price-')
  const submit = submitButton('Add override')
  const error = formError()
  const form = h(
    'form',
    { class: 'inline-form pricing-form', novalidate: true },
    h('h3', null, 'Pricing overrides'),
    h('p', { class: 'muted' }, 'Overrides replace the built-in prices for later ingests only.'),
    pattern.dom,
    provider.dom,
    input.dom,
    output.dom,
    error,
    submit,
  )
  wire(form, submit, [pattern, provider, input, output], error, async () => {
    const body = {
      model_pattern: pattern.input.value.trim(),
      provider: provider.input.value.trim(),
      input_per_m: priceValue(input),
      output_per_m: priceValue(output),
    }
    await ctx.api.request('/v1/admin/pricing', {}, { method: 'POST', body })
    form.reset()
    await reloadBoth()
  })
  // Both tables change together: an override hides its built-in, removing it shows the built-in again.
  const reloadBoth = async () => {
    await Promise.all([list.reload(), builtins.reload()])
  }
  const editor = pricingEditor(ctx, actionError, reloadBoth)
  const builtins = builtinPrices(ctx, editor)
  const list = listPanel(async () => {
    const r = await ctx.api.get<{ data: PricingEntry[] }>('/v1/admin/pricing', { source: 'override' })
    if (r.data.length === 0) return [h('p', { class: 'muted' }, 'No overrides: built-in prices apply.')]
    const rows = r.data.map((x) => {
      const edit = h('button', { type: 'button', class: 'edit', 'aria-expanded': 'false' }, 'Edit')
      const remove = h('button', { type: 'button', class: 'danger remove' }, 'Remove')
      rowAction(remove, actionError, async () => {
        await ctx.api.request(`/v1/admin/pricing/${encodeURIComponent(x.model_pattern)}`, {}, { method: 'DELETE' })
        await reloadBoth()
      })
      const entryRow = row([...priceCells(x), h('div', { class: 'row-actions' }, edit, remove)], {
        'data-pattern': x.model_pattern,
      })
      edit.addEventListener('click', () => editor.open(x, entryRow, edit))
      return entryRow
    })
    return [table(PRICE_HEADERS, rows, 'pricing-table')]
  })
  void reloadBoth()
  return [form, list.dom, actionError, builtins.dom]
}
