import type { ApiKeyType } from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import type { Principal } from '../../http/principal.js'
import type { ApiKey } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'
import { refuseKeyWrites } from '../auth/permissions.js'
import { buildApiKey } from './api-keys.js'

/** The wire ApiKey: never the hash, never the raw key after creation (api.md §4.0). */
export function keyView(key: ApiKey): Record<string, unknown> {
  return {
    key_id: key.key_id,
    key_prefix: key.key_prefix,
    key_type: key.key_type,
    label: key.label,
    created_by_user_id: key.created_by_user_id,
    created_at: key.created_at,
    last_used_at: key.last_used_at,
    revoked_at: key.revoked_at,
    is_active: key.is_active,
  }
}

/** Owners and admins see and revoke every key; anyone else only their own (api.md §2.4). */
function seesAll(principal: Principal): boolean {
  return (
    principal.keyType !== 'test' &&
    principal.keyType !== 'read' &&
    (principal.role === 'owner' || principal.role === 'admin')
  )
}

function owns(principal: Principal, key: ApiKey): boolean {
  return key.created_by_user_id === principal.userId || key.key_id === principal.keyId
}

/** API keys (api.md §4.13). A key created by a key caller belongs to that key's creator. */
export class KeysService {
  constructor(
    private readonly entities: EntityStore,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal): Array<Record<string, unknown>> {
    return this.entities
      .list('api_keys')
      .filter((k) => k.tenant_id === principal.tenantId && (seesAll(principal) || owns(principal, k)))
      .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.key_id.localeCompare(a.key_id))
      .map(keyView)
  }

  async create(principal: Principal, input: { label: string; key_type: ApiKeyType }): Promise<Record<string, unknown>> {
    refuseKeyWrites(principal, 'POST')
    if (principal.role === 'viewer' && input.key_type !== 'read') {
      throw new AppError('insufficient_permissions', 'Viewers can only create read keys')
    }
    const { record, raw } = buildApiKey({
      tenantId: principal.tenantId,
      type: input.key_type,
      label: input.label,
      createdByUserId: principal.userId,
      nowIso: iso(this.clock.now()),
    })
    await this.entities.update('api_keys', (keys) => [...keys, record])
    const { last_used_at: _used, revoked_at: _revoked, is_active: _active, ...created } = keyView(record)
    return { ...created, raw_key: raw }
  }

  async revoke(principal: Principal, keyId: string): Promise<{ status: string }> {
    refuseKeyWrites(principal, 'DELETE')
    const notFound = () => new AppError('not_found', 'API key not found')
    const key = this.entities.list('api_keys').find((k) => k.key_id === keyId && k.tenant_id === principal.tenantId)
    if (key === undefined || !key.is_active) throw notFound()
    if (!seesAll(principal) && !owns(principal, key)) {
      throw new AppError('insufficient_permissions', 'Can only revoke your own keys')
    }
    const now = iso(this.clock.now())
    await this.entities.update('api_keys', (keys) => {
      const current = keys.find((k) => k.key_id === keyId)
      if (current === undefined || !current.is_active) throw notFound()
      return keys.map((k) => (k === current ? { ...k, is_active: false, revoked_at: now } : k))
    })
    return { status: 'revoked' }
  }
}
