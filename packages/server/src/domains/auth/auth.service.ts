import { createHash, randomUUID } from 'node:crypto'
import bcrypt from 'bcryptjs'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import type { Tenant, User } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'
import { buildApiKey } from '../keys/api-keys.js'
import { ensureDefaultProject } from '../tenants/bootstrap.js'
import { buildUser, emailInUse, isPendingInvite, userView } from '../users/user-rules.js'
import { signToken, type JwtSettings } from './jwt-auth.js'
import { tenantSlug } from './slugs.js'

export interface AuthDeps {
  entities: EntityStore
  clock: Clock
  jwt: JwtSettings
  /** bcrypt cost; ≥ 10 (api.md §4.12). */
  bcryptRounds: number
}

export function hashInviteToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

const BAD_LOGIN = 'Invalid email or password'

/** Register, login, accept-invite, change-password, logout-all (api.md §4.12). */
export class AuthService {
  /** Compared against when no user matches, so every login failure takes the same path (api.md §4.12). */
  private readonly dummyHash: string

  constructor(private readonly deps: AuthDeps) {
    this.dummyHash = bcrypt.hashSync(randomUUID(), deps.bcryptRounds)
  }

  hashPassword(password: string): Promise<string> {
    return bcrypt.hash(password, this.deps.bcryptRounds)
  }

  checkSlug(raw: string): { slug: string; available: boolean } {
    const slug = tenantSlug(raw)
    const available = slug !== '' && !this.deps.entities.list('tenants').some((t) => t.slug === slug)
    return { slug, available }
  }

  async register(input: { email: string; password: string; name: string; tenant_name: string }) {
    const { entities, clock } = this.deps
    const slug = tenantSlug(input.tenant_name)
    if (slug === '')
      throw new AppError('validation_error', 'Request validation failed', {
        fields: [{ field: 'body.tenant_name', message: 'Must contain at least one letter or digit' }],
      })
    const passwordHash = await this.hashPassword(input.password)
    const now = iso(clock.now())
    const tenant: Tenant = {
      tenant_id: randomUUID(),
      name: input.tenant_name,
      slug,
      plan: 'free',
      created_at: now,
      updated_at: now,
    }
    // TRICKY: the writer queue runs mutations one at a time, so reading users/invites inside the tenants
    // mutation is consistent; the users mutation re-checks the e-mail and rolls the tenant back on a race.
    await entities.update('tenants', (tenants) => {
      this.assertRegistrable(input.email)
      if (tenants.some((t) => t.slug === slug)) throw new AppError('slug_exists', 'Workspace slug is already taken')
      return [...tenants, tenant]
    })
    const owner = buildUser({
      tenantId: tenant.tenant_id,
      email: input.email,
      name: input.name,
      role: 'owner',
      passwordHash,
      nowIso: now,
    })
    try {
      await entities.update('users', (users) => {
        if (emailInUse(users, owner.email)) throw new AppError('email_exists', 'E-mail is already registered')
        return [...users, owner]
      })
    } catch (error) {
      await entities.update('tenants', (tenants) => tenants.filter((t) => t.tenant_id !== tenant.tenant_id))
      throw error
    }
    await ensureDefaultProject(entities, tenant.tenant_id, now)
    const key = buildApiKey({
      tenantId: tenant.tenant_id,
      type: 'live',
      label: 'Default API Key',
      createdByUserId: owner.user_id,
      nowIso: now,
    })
    await entities.update('api_keys', (keys) => [...keys, key.record])
    return { user: userView(owner), tenant: tenantView(tenant), api_key: key.raw }
  }

  private assertRegistrable(email: string): void {
    const { entities, clock } = this.deps
    if (emailInUse(entities.list('users'), email)) throw new AppError('email_exists', 'E-mail is already registered')
    if (entities.list('invites').some((i) => i.email === email && isPendingInvite(i, clock.now()))) {
      throw new AppError('pending_invite', 'This e-mail has a pending invite; accept it instead')
    }
  }

  async login(input: { email: string; password: string; tenant?: string | undefined }) {
    const { entities } = this.deps
    const tenant =
      input.tenant === undefined
        ? undefined
        : entities.list('tenants').find((t) => t.tenant_id === input.tenant || t.slug === input.tenant?.toLowerCase())
    const user = entities
      .list('users')
      .find(
        (u) =>
          u.is_active && u.email === input.email && (input.tenant === undefined || u.tenant_id === tenant?.tenant_id),
      )
    const ok = await bcrypt.compare(input.password, user?.password_hash ?? this.dummyHash)
    if (user === undefined || !ok) throw new AppError('authentication_failed', BAD_LOGIN)
    const now = iso(this.deps.clock.now())
    const updated = await this.patchUser(user.user_id, (u) => ({ ...u, last_login_at: now }))
    return this.loginResponse(updated)
  }

  async acceptInvite(input: { invite_token: string; name: string; password: string }) {
    const { entities, clock } = this.deps
    const tokenHash = hashInviteToken(input.invite_token)
    const notFound = () => new AppError('not_found', 'Invite not found or expired')
    const found = entities.list('invites').find((i) => i.token_hash === tokenHash)
    if (found === undefined || !isPendingInvite(found, clock.now())) throw notFound()
    const passwordHash = await this.hashPassword(input.password)
    const now = iso(clock.now())
    const user = buildUser({
      tenantId: found.tenant_id,
      email: found.email,
      name: input.name,
      role: found.role,
      passwordHash,
      nowIso: now,
    })
    user.last_login_at = now
    // Single use: the invite is claimed inside the writer before the user is created.
    await entities.update('invites', (invites) => {
      const invite = invites.find((i) => i.invite_id === found.invite_id)
      if (invite === undefined || !isPendingInvite(invite, clock.now())) throw notFound()
      if (emailInUse(entities.list('users'), invite.email))
        throw new AppError('email_exists', 'E-mail is already registered')
      return invites.map((i) => (i === invite ? { ...i, status: 'accepted' as const, accepted_at: now } : i))
    })
    await entities.update('users', (users) => [...users, user])
    return this.loginResponse(user)
  }

  async changePassword(userId: string, input: { current_password: string; new_password: string }) {
    const user = this.activeUser(userId)
    if (!(await bcrypt.compare(input.current_password, user.password_hash))) {
      throw new AppError('authentication_failed', 'Current password is incorrect')
    }
    const passwordHash = await this.hashPassword(input.new_password)
    const now = iso(this.deps.clock.now())
    const updated = await this.patchUser(userId, (u) => ({
      ...u,
      password_hash: passwordHash,
      token_version: u.token_version + 1,
      updated_at: now,
    }))
    const session = this.session(updated)
    return { status: 'password_changed', token: session.token, token_type: 'bearer', expires_in: session.expires_in }
  }

  async logoutAll(userId: string): Promise<{ status: string }> {
    await this.patchUser(userId, (u) => ({ ...u, token_version: u.token_version + 1 }))
    return { status: 'logged_out' }
  }

  private activeUser(userId: string): User {
    const user = this.deps.entities.list('users').find((u) => u.user_id === userId && u.is_active)
    if (user === undefined) throw new AppError('authentication_failed', 'Invalid or expired token')
    return user
  }

  private async patchUser(userId: string, patch: (user: User) => User): Promise<User> {
    let result: User | undefined
    await this.deps.entities.update('users', (users) =>
      users.map((u) => (u.user_id === userId ? (result = patch(u)) : u)),
    )
    if (result === undefined) throw new AppError('authentication_failed', 'Invalid or expired token')
    return result
  }

  private session(user: User): { token: string; expires_in: number } {
    return { token: signToken(user, this.deps.jwt, this.deps.clock), expires_in: this.deps.jwt.expirySeconds }
  }

  loginResponse(user: User) {
    const tenant = this.deps.entities.list('tenants').find((t) => t.tenant_id === user.tenant_id)
    if (tenant === undefined) throw new AppError('authentication_failed', BAD_LOGIN)
    const { token, expires_in } = this.session(user)
    return { token, token_type: 'bearer', expires_in, user: userView(user), tenant: tenantView(tenant) }
  }
}

export function tenantView(tenant: Tenant): { tenant_id: string; name: string; slug: string } {
  return { tenant_id: tenant.tenant_id, name: tenant.name, slug: tenant.slug }
}
