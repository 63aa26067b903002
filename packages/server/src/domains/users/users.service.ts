import type { Role } from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import type { Principal } from '../../http/principal.js'
import type { User } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'
import { assertCanGrant, assertCanManageUser } from '../auth/permissions.js'
import { buildUser, emailInUse, isLastOwner, userView } from './user-rules.js'

export interface UserUpdate {
  email?: string | undefined
  name?: string | undefined
  role?: Role | undefined
  settings?: Record<string, unknown> | undefined
}

const duplicate = () => new AppError('duplicate_email', 'E-mail is already used by an active user')
const lastOwner = () => new AppError('last_owner', 'The last active owner cannot be demoted or deactivated')

/** Users of one tenant (api.md §4.13). Every check that depends on other users runs inside the writer. */
export class UsersService {
  constructor(
    private readonly entities: EntityStore,
    private readonly clock: Clock,
  ) {}

  list(tenantId: string, filter: { role?: Role | undefined; isActive?: boolean | undefined }) {
    return this.entities
      .list('users')
      .filter(
        (u) =>
          u.tenant_id === tenantId &&
          (filter.role === undefined || u.role === filter.role) &&
          (filter.isActive === undefined || u.is_active === filter.isActive),
      )
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.user_id.localeCompare(b.user_id))
      .map(userView)
  }

  /** Another tenant's user answers exactly like an unknown one (api.md §2.5). */
  require(tenantId: string, userId: string, message = 'User not found'): User {
    const user = this.entities.list('users').find((u) => u.user_id === userId && u.tenant_id === tenantId)
    if (user === undefined) throw new AppError('not_found', message)
    return user
  }

  async create(
    principal: Principal,
    input: { email: string; name: string; role: Role },
    passwordHash: string,
  ): Promise<Record<string, unknown>> {
    assertCanGrant(principal, input.role)
    const user = buildUser({ ...input, tenantId: principal.tenantId, passwordHash, nowIso: iso(this.clock.now()) })
    await this.entities.update('users', (users) => {
      if (emailInUse(users, user.email)) throw duplicate()
      return [...users, user]
    })
    return userView(user)
  }

  async update(principal: Principal, userId: string, input: UserUpdate): Promise<Record<string, unknown>> {
    const target = this.require(principal.tenantId, userId)
    assertCanManageUser(principal, target)
    if (input.role !== undefined && input.role !== target.role) assertCanGrant(principal, input.role)
    const now = iso(this.clock.now())
    const updated = await this.mutate(userId, (current, users) => {
      if (input.email !== undefined && input.email !== current.email && current.is_active) {
        if (emailInUse(users, input.email, current.user_id)) throw duplicate()
      }
      const roleChanged = input.role !== undefined && input.role !== current.role
      if (roleChanged && isLastOwner(users, current)) throw lastOwner()
      return {
        ...current,
        email: input.email ?? current.email,
        name: input.name ?? current.name,
        role: input.role ?? current.role,
        settings: input.settings ?? current.settings,
        // A role change revokes older tokens (api.md §2.3).
        token_version: current.token_version + (roleChanged ? 1 : 0),
        updated_at: now,
      }
    })
    return userView(updated)
  }

  async deactivate(principal: Principal, userId: string): Promise<{ status: string }> {
    const target = this.require(principal.tenantId, userId)
    if (!target.is_active) throw new AppError('not_found', 'User not found')
    assertCanManageUser(principal, target)
    if (principal.userId === userId) throw new AppError('self_deactivation', 'You cannot deactivate yourself')
    await this.mutate(userId, (current, users) => {
      if (!current.is_active) throw new AppError('not_found', 'User not found')
      if (isLastOwner(users, current)) throw lastOwner()
      return {
        ...current,
        is_active: false,
        token_version: current.token_version + 1,
        updated_at: iso(this.clock.now()),
      }
    })
    return { status: 'deactivated' }
  }

  async reactivate(principal: Principal, userId: string): Promise<{ status: string }> {
    const message = 'User not found or already active'
    const target = this.require(principal.tenantId, userId, message)
    if (target.is_active) throw new AppError('not_found', message)
    assertCanManageUser(principal, target)
    await this.mutate(userId, (current, users) => {
      if (current.is_active) throw new AppError('not_found', message)
      if (emailInUse(users, current.email)) throw duplicate()
      return { ...current, is_active: true, updated_at: iso(this.clock.now()) }
    })
    return { status: 'reactivated' }
  }

  private async mutate(userId: string, change: (user: User, users: readonly User[]) => User): Promise<User> {
    let result: User | undefined
    await this.entities.update('users', (users) => {
      const current = users.find((u) => u.user_id === userId)
      if (current === undefined) throw new AppError('not_found', 'User not found')
      const next = change(current, users)
      result = next
      return users.map((u) => (u === current ? next : u))
    })
    return result as User
  }
}
