import type { Role } from '@hiveboard/shared'
import { AppError } from '../../errors/app-error.js'
import type { Principal } from '../../http/principal.js'

/** The role matrix of api.md §2.4, one guard per endpoint group. Keys act with their creator's role. */

const READ_ONLY = 'Read-only API key cannot perform write operations'

function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD'
}

/** `/v1/users/me`, change-password, logout-all: JWT sessions only. */
export function requireJwt(principal: Principal): string {
  if (principal.kind !== 'jwt' || principal.userId === null) {
    throw new AppError('jwt_required', 'This endpoint requires a user session (JWT), not an API key')
  }
  return principal.userId
}

/** Writes other than ingest: read and test keys never write (api.md §2.2). */
export function refuseKeyWrites(principal: Principal, method: string): void {
  if (isRead(method)) return
  if (principal.keyType === 'read') throw new AppError('insufficient_permissions', READ_ONLY)
  if (principal.keyType === 'test') {
    throw new AppError('insufficient_permissions', 'Test API keys can only ingest and read')
  }
}

/** Project writes (CRUD, archive, merge, agent links): owner, admin, member, or a live key of one. */
export function requireProjectWriter(principal: Principal, method: string): void {
  refuseKeyWrites(principal, method)
  if (isRead(method)) return
  if (principal.role === 'viewer') throw new AppError('insufficient_permissions', 'Viewers cannot modify projects')
}

/** Users and invites: owner/admin (or a live key of one); test keys only GET; read keys never. */
export function requireUserManager(principal: Principal, method: string): void {
  if (principal.keyType === 'read') {
    throw new AppError('insufficient_permissions', 'Read-only API keys cannot manage users or invites')
  }
  refuseKeyWrites(principal, method)
  if (principal.role !== 'owner' && principal.role !== 'admin') {
    throw new AppError('insufficient_permissions', 'Only owners and admins can manage users and invites')
  }
}

/** Only owners grant owner or admin (403 `role_escalation`). */
export function assertCanGrant(principal: Principal, role: Role): void {
  if ((role === 'owner' || role === 'admin') && principal.role !== 'owner') {
    throw new AppError('role_escalation', `Only owners can grant the ${role} role`)
  }
}

/** Admins update, deactivate and reactivate only members and viewers. */
export function assertCanManageUser(principal: Principal, target: { role: Role }): void {
  if (principal.role !== 'owner' && (target.role === 'owner' || target.role === 'admin')) {
    throw new AppError('insufficient_permissions', 'Admins can only manage members and viewers')
  }
}

/** Pricing override writes: owner and admin, or a live key of one (api.md §2.4). */
export function requirePricingWriter(principal: Principal, method: string): void {
  refuseKeyWrites(principal, method)
  if (isRead(method)) return
  if (principal.role !== 'owner' && principal.role !== 'admin') {
    throw new AppError('insufficient_permissions', 'Only owners and admins can change pricing')
  }
}

/** Alert rule writes and test-fire follow the project-writer column (api.md §2.4). */
export const requireAlertWriter = requireProjectWriter
