import { ROLES } from '@hiveboard/shared'
import { z } from 'zod'
import type { Invite, User } from '../../storage/entities.js'

/** E-mails are trimmed and lower-cased (api.md §1.2), ≤ 254 chars `local@domain` (§4.12). */
export const Email = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(
    z
      .string()
      .max(254)
      .regex(/^[^\s@]+@[^\s@]+$/, 'Expected an e-mail address local@domain'),
  )

/** Passwords are 6–72 bytes: bcrypt ignores anything past 72 (api.md §4.12). */
export const Password = z
  .string()
  .refine((s) => Buffer.byteLength(s, 'utf8') >= 6 && Buffer.byteLength(s, 'utf8') <= 72, 'Must be 6–72 bytes')

export const PersonName = z.string().min(1).max(100)
export const RoleField = z.enum(ROLES)

/** The wire User: hashes and token versions are never returned (api.md §4.0). */
export function userView(user: User): Record<string, unknown> {
  return {
    user_id: user.user_id,
    tenant_id: user.tenant_id,
    email: user.email,
    name: user.name,
    role: user.role,
    is_active: user.is_active,
    created_at: user.created_at,
    updated_at: user.updated_at,
    last_login_at: user.last_login_at,
    settings: user.settings,
  }
}

/** E-mails are unique among active users of all tenants (api.md §2.4). */
export function emailInUse(users: readonly User[], email: string, exceptUserId?: string): boolean {
  return users.some((u) => u.is_active && u.email === email && u.user_id !== exceptUserId)
}

export function isPendingInvite(invite: Invite, now: number): boolean {
  return invite.status === 'pending' && Date.parse(invite.expires_at) > now
}

/** True when `userId` is the only active owner of its tenant. */
export function isLastOwner(users: readonly User[], target: User): boolean {
  if (target.role !== 'owner' || !target.is_active) return false
  return !users.some(
    (u) => u.tenant_id === target.tenant_id && u.is_active && u.role === 'owner' && u.user_id !== target.user_id,
  )
}

export interface NewUser {
  tenantId: string
  email: string
  name: string
  role: User['role']
  passwordHash: string
  nowIso: string
  userId?: string
}

export function buildUser(input: NewUser): User {
  return {
    user_id: input.userId ?? crypto.randomUUID(),
    tenant_id: input.tenantId,
    email: input.email,
    name: input.name,
    role: input.role,
    password_hash: input.passwordHash,
    token_version: 0,
    is_active: true,
    created_at: input.nowIso,
    updated_at: input.nowIso,
    last_login_at: null,
    settings: {},
  }
}
