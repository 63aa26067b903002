import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type { ApiKeyType, Role } from '@hiveboard/shared'
import type { ApiKey, User } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'

export const API_KEY_FORMAT = /^hb_(live|test|read)_[0-9a-f]{32}$/

/** Only the SHA-256 hex of a key is ever stored (api.md §2.2). */
export function hashApiKey(raw: string): string {
  return createHash('sha256').update(raw).digest('hex')
}

export function generateApiKey(type: ApiKeyType): string {
  return `hb_${type}_${randomBytes(16).toString('hex')}`
}

export function keyPrefix(raw: string): string {
  return raw.slice(0, 12)
}

export interface NewKey {
  tenantId: string
  type: ApiKeyType
  label: string
  createdByUserId: string | null
  nowIso: string
  /** Fixed id, for the local bootstrap key (`dev-key`). */
  keyId?: string
  /** Fixed raw value, for the local bootstrap key. */
  raw?: string
}

export function buildApiKey(input: NewKey): { record: ApiKey; raw: string } {
  const raw = input.raw ?? generateApiKey(input.type)
  return {
    raw,
    record: {
      key_id: input.keyId ?? randomUUID(),
      tenant_id: input.tenantId,
      key_hash: hashApiKey(raw),
      key_prefix: keyPrefix(raw),
      key_type: input.type,
      label: input.label,
      created_by_user_id: input.createdByUserId,
      created_at: input.nowIso,
      last_used_at: null,
      revoked_at: null,
      is_active: true,
    },
  }
}

/** Active keys by hash, rebuilt only when the api_keys collection changes. */
export class ApiKeyIndex {
  private builtAt = -1
  private byHash = new Map<string, ApiKey>()

  constructor(private readonly entities: EntityStore) {}

  find(raw: string): ApiKey | undefined {
    const version = this.entities.version('api_keys')
    if (version !== this.builtAt) {
      this.byHash = new Map(
        this.entities
          .list('api_keys')
          .filter((k) => k.is_active)
          .map((k) => [k.key_hash, k]),
      )
      this.builtAt = version
    }
    return this.byHash.get(hashApiKey(raw))
  }
}

/**
 * The authority of a key (api.md §2.2): live and test keys act with their creator's *current* role (no
 * creator = owner); read keys are viewers. Undefined when the creator is gone or deactivated (401).
 */
export function keyRole(key: ApiKey, users: readonly User[]): Role | undefined {
  if (key.key_type === 'read') return 'viewer'
  if (key.created_by_user_id === null) return 'owner'
  const creator = users.find((u) => u.user_id === key.created_by_user_id && u.tenant_id === key.tenant_id)
  return creator?.is_active === true ? creator.role : undefined
}
