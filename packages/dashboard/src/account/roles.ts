/**
 * What the signed-in user may do on home.html, from api.md §2.4's role matrix (D62: `/v1/users/me` drives the
 * controls, the server enforces). Pure: the page hides or disables what these say no to, and still shows the
 * server's message when it refuses anyway (a role changed since the page loaded).
 */

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const
export type Role = (typeof ROLES)[number]
export const KEY_TYPES = ['live', 'test', 'read'] as const
export type KeyType = (typeof KEY_TYPES)[number]

export interface Me {
  user_id: string
  role: string
}

export interface UserRow {
  user_id: string
  role: string
  is_active: boolean
}

export interface KeyRow {
  created_by_user_id: string | null
  is_active: boolean
}

function isRole(role: string): role is Role {
  return (ROLES as readonly string[]).includes(role)
}

/** Project writes (create, edit, archive, merge, delete): everyone but viewers. */
export function canWriteProjects(me: Me): boolean {
  return me.role === 'owner' || me.role === 'admin' || me.role === 'member'
}

/** Users and invites (`#team`): owners and admins. */
export function canManageTeam(me: Me): boolean {
  return me.role === 'owner' || me.role === 'admin'
}

/** Pricing override writes: owners and admins. */
export function canEditPricing(me: Me): boolean {
  return canManageTeam(me)
}

/** Roles this caller may give (invite or role change): owners any, admins member/viewer only (role_escalation). */
export function grantableRoles(me: Me): Role[] {
  if (me.role === 'owner') return [...ROLES]
  if (me.role === 'admin') return ['member', 'viewer']
  return []
}

/** Admins update, deactivate and reactivate only members and viewers; owners anyone; nobody themselves. */
export function canManageUser(me: Me, target: UserRow): boolean {
  if (target.user_id === me.user_id || !canManageTeam(me)) return false
  if (me.role === 'owner') return true
  return isRole(target.role) && (target.role === 'member' || target.role === 'viewer')
}

/** Viewers create read keys only ("Viewers can only create read keys"). */
export function creatableKeyTypes(me: Me): KeyType[] {
  return me.role === 'viewer' ? ['read'] : [...KEY_TYPES]
}

/** Owners and admins revoke any key; others their own ("Can only revoke your own keys"). */
export function canRevokeKey(me: Me, key: KeyRow): boolean {
  if (!key.is_active) return false
  return canManageTeam(me) || key.created_by_user_id === me.user_id
}

/** D62: the link an invitee opens; the token is shown once, at creation. */
export function inviteLink(origin: string, token: string): string {
  return `${origin}/accept-invite.html?${new URLSearchParams({ token }).toString()}`
}

/** Project slug as the server derives it from a name (api.md §4.10): like a workspace slug, ≤ 64 characters. */
export function projectSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '')
}
