/** home.html#team (D62, owners and admins): users with role/deactivate/reactivate; invites once; pending invites. */
import { field, selectField } from './form.js'
import { canManageTeam, canManageUser, grantableRoles, inviteLink } from './roles.js'
import { h } from '../lib/h.js'
import {
  type HomeContext,
  type User,
  type Invite,
  type CreatedInvite,
  errorText,
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

export function team(ctx: HomeContext): HTMLElement[] {
  if (!canManageTeam(ctx.me)) {
    return [h('p', { class: 'muted' }, 'Only owners and admins manage users and invites.')]
  }
  const roles = grantableRoles(ctx.me)
  const actionError = actionLine()
  const email = field('email', 'E-mail', 'email', { autocomplete: 'off', required: '' }, 'invite-')
  const name = field('name', 'Name (optional)', 'text', { maxlength: '100' }, 'invite-')
  const role = selectField(
    'role',
    'Role',
    roles.map((r) => [r, r] as const),
    'invite-',
  )
  role.input.value = 'member'
  const submit = submitButton('Create invite')
  const error = formError()
  const created = h('div', { class: 'created-slot' })
  const form = h(
    'form',
    { class: 'inline-form invite-form', novalidate: true },
    h('h3', null, 'Invite someone'),
    email.dom,
    name.dom,
    role.dom,
    error,
    submit,
  )
  wire(form, submit, [email, name, role], error, async () => {
    const body: Record<string, string> = { email: email.input.value.trim(), role: role.input.value }
    if (name.input.value.trim() !== '') body.name = name.input.value.trim()
    const inv = await ctx.api.request<CreatedInvite>('/v1/auth/invite', {}, { method: 'POST', body })
    created.replaceChildren(
      secretBox(
        `Invite for ${inv.email} (${inv.role})`,
        `Send this link to ${inv.email} — it is shown only now, works once and expires ${dateText(inv.expires_at)}.`,
        inviteLink(ctx.origin, inv.invite_token),
      ),
    )
    form.reset()
    role.input.value = 'member'
    await invites.reload()
  })

  const act = async (control: HTMLButtonElement | HTMLSelectElement, work: () => Promise<unknown>) => {
    actionError.textContent = ''
    control.disabled = true
    try {
      await work()
    } catch (e) {
      actionError.textContent = errorText(e)
    } finally {
      control.disabled = false
    }
    await users.reload()
  }
  const users = listPanel(async () => {
    const u = await ctx.api.get<{ data: User[] }>('/v1/users')
    const rows = u.data.map((x) => {
      const manageable = canManageUser(ctx.me, x)
      let roleCell: HTMLElement | string = x.role
      const buttons: HTMLElement[] = []
      if (manageable && x.is_active) {
        // Owners may pick any role; admins only member/viewer (role_escalation). Keep the current one listed.
        const options: string[] = (roles as string[]).includes(x.role) ? roles : [x.role, ...roles]
        const select = h(
          'select',
          { class: 'role-select', 'aria-label': `Role of ${x.name}` },
          ...options.map((r) => h('option', { value: r }, r)),
        )
        select.value = x.role
        select.addEventListener('change', () => {
          const path = `/v1/users/${encodeURIComponent(x.user_id)}`
          void act(select, () => ctx.api.request(path, {}, { method: 'PUT', body: { role: select.value } }))
        })
        roleCell = select
        const deactivate = h('button', { type: 'button', class: 'deactivate danger' }, 'Deactivate')
        rowAction(
          deactivate,
          actionError,
          async () => {
            await ctx.api.request(`/v1/users/${encodeURIComponent(x.user_id)}`, {}, { method: 'DELETE' })
            await users.reload()
          },
          {
            ask: () => ({
              title: `Deactivate ${x.name}?`,
              text: `${x.email} is signed out everywhere and cannot sign in until reactivated; their keys stop working.`,
              confirmLabel: 'Deactivate',
              danger: true,
            }),
          },
        )
        buttons.push(deactivate)
      }
      if (manageable && !x.is_active) {
        const reactivate = h('button', { type: 'button', class: 'reactivate' }, 'Reactivate')
        reactivate.addEventListener('click', () => {
          const path = `/v1/users/${encodeURIComponent(x.user_id)}/reactivate`
          void act(reactivate, () => ctx.api.request(path, {}, { method: 'POST' }))
        })
        buttons.push(reactivate)
      }
      return row(
        [
          x.user_id === ctx.me.user_id ? `${x.name} (you)` : x.name,
          x.email,
          roleCell,
          x.is_active ? 'active' : 'deactivated',
          dateText(x.last_login_at),
          h('div', { class: 'row-actions' }, ...buttons),
        ],
        { 'data-email': x.email },
      )
    })
    return [table(['Name', 'E-mail', 'Role', 'Status', 'Last sign-in', 'Actions'], rows, 'users-table')]
  })
  const invites = listPanel(async () => {
    const list = await ctx.api.get<{ data: Invite[] }>('/v1/invites', { status: 'pending' })
    if (list.data.length === 0) return [h('p', { class: 'muted' }, 'No pending invites.')]
    const rows = list.data.map((x) => {
      const cancel = h('button', { type: 'button', class: 'cancel-invite' }, 'Cancel')
      rowAction(
        cancel,
        actionError,
        async () => {
          await ctx.api.request(`/v1/invites/${encodeURIComponent(x.invite_id)}`, {}, { method: 'DELETE' })
          await invites.reload()
        },
        {
          ask: () => ({
            title: `Cancel the invite for ${x.email}?`,
            text: 'The link stops working at once.',
            confirmLabel: 'Cancel invite',
            danger: true,
          }),
        },
      )
      return row([x.email, x.role, dateText(x.expires_at), cancel], { 'data-email': x.email })
    })
    return [table(['E-mail', 'Role', 'Expires', 'Actions'], rows, 'invites-table')]
  })
  void users.reload()
  void invites.reload()
  return [h('h3', null, 'Users'), users.dom, actionError, created, form, h('h3', null, 'Pending invites'), invites.dom]
}
