import { randomUUID } from 'node:crypto'
import type { Role } from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import type { Principal } from '../../http/principal.js'
import type { Invite } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'
import { hashInviteToken } from '../auth/auth.service.js'
import { assertCanGrant } from '../auth/permissions.js'
import { emailInUse, isPendingInvite } from '../users/user-rules.js'

export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000
export const INVITE_STATUSES = ['pending', 'accepted', 'expired', 'all'] as const
export type InviteFilter = (typeof INVITE_STATUSES)[number]

/** Cancelled invites are kept (so their token stays dead) but never listed: the wire enum has no `cancelled`. */
function wireStatus(invite: Invite, now: number): 'pending' | 'accepted' | 'expired' | null {
  if (invite.status === 'cancelled') return null
  if (invite.status === 'accepted') return 'accepted'
  return isPendingInvite(invite, now) ? 'pending' : 'expired'
}

/** Invites (api.md §4.12 invite, §4.13): tokens are UUIDv4, stored only as SHA-256, single use, 7 days. */
export class InvitesService {
  constructor(
    private readonly entities: EntityStore,
    private readonly clock: Clock,
  ) {}

  list(tenantId: string, filter: InviteFilter): Array<Record<string, unknown>> {
    const now = this.clock.now()
    return this.entities
      .list('invites')
      .filter((i) => i.tenant_id === tenantId)
      .map((invite) => ({ invite, status: wireStatus(invite, now) }))
      .filter(({ status }) => status !== null && (filter === 'all' || status === filter))
      .sort(
        (a, b) =>
          b.invite.created_at.localeCompare(a.invite.created_at) ||
          b.invite.invite_id.localeCompare(a.invite.invite_id),
      )
      .map(({ invite, status }) => ({
        invite_id: invite.invite_id,
        email: invite.email,
        role: invite.role,
        name: invite.name,
        status,
        created_by_user_id: invite.created_by_user_id,
        created_at: invite.created_at,
        expires_at: invite.expires_at,
        accepted_at: invite.accepted_at,
      }))
  }

  async create(principal: Principal, input: { email: string; role: Role; name?: string | undefined }) {
    assertCanGrant(principal, input.role)
    const now = this.clock.now()
    const token = randomUUID()
    const invite: Invite = {
      invite_id: randomUUID(),
      tenant_id: principal.tenantId,
      email: input.email,
      role: input.role,
      name: input.name ?? null,
      token_hash: hashInviteToken(token),
      status: 'pending',
      created_by_user_id: principal.userId,
      created_at: iso(now),
      expires_at: iso(now + INVITE_TTL_MS),
      accepted_at: null,
    }
    await this.entities.update('invites', (invites) => {
      if (emailInUse(this.entities.list('users'), invite.email)) {
        throw new AppError('email_exists', 'E-mail is already used by an active user')
      }
      if (
        invites.some((i) => i.tenant_id === invite.tenant_id && i.email === invite.email && isPendingInvite(i, now))
      ) {
        throw new AppError('invite_exists', 'A pending invite for this e-mail already exists')
      }
      return [...invites, invite]
    })
    const { invite_id, email, role, name, tenant_id, expires_at } = invite
    return { invite_id, email, role, name, tenant_id, expires_at, invite_token: token }
  }

  async cancel(tenantId: string, inviteId: string): Promise<{ status: string }> {
    const notFound = () => new AppError('not_found', 'Invite not found')
    const now = this.clock.now()
    await this.entities.update('invites', (invites) => {
      const invite = invites.find((i) => i.invite_id === inviteId && i.tenant_id === tenantId)
      if (invite === undefined || !isPendingInvite(invite, now)) throw notFound()
      return invites.map((i) => (i === invite ? { ...i, status: 'cancelled' as const } : i))
    })
    return { status: 'cancelled' }
  }
}
