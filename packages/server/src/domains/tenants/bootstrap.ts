import bcrypt from 'bcryptjs'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import type { Config } from '../../config.js'
import type { Logger } from '../../logger.js'
import type { Tenant, User } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'
import { buildApiKey, hashApiKey } from '../keys/api-keys.js'
import { newProject } from '../projects/projects.service.js'

export const DEV_TENANT_ID = 'dev'
export const DEV_KEY_ID = 'dev-key'
export const DEV_OWNER_ID = 'dev-owner'
export const DEV_OWNER_EMAIL = 'admin@hiveboard.dev'

/** Every tenant has a `default` project (api.md §4.10). */
export async function ensureDefaultProject(entities: EntityStore, tenantId: string, now: string): Promise<void> {
  await entities.updateTenant('projects', tenantId, (projects) =>
    projects.some((p) => p.slug === 'default')
      ? null
      : [...projects, newProject(tenantId, { name: 'Default', slug: 'default' }, now)],
  )
}

/**
 * Local bootstrap (api.md §3): idempotent at every start in local mode with `dev_key` set: the `dev`
 * tenant, its default project, the `dev-key` live key (re-hashed when dev_key changes) and, with
 * `dev_password`, the owner `dev-owner`. Never in production (config refuses those keys there).
 */
export async function bootstrapLocal(
  entities: EntityStore,
  config: Config,
  clock: Clock,
  logger: Logger,
): Promise<void> {
  if (config.mode !== 'local' || config.dev_key === '') return
  if (!config.dev_key.startsWith('hb_')) throw new Error('dev_key must start with "hb_"')
  const now = iso(clock.now())
  await entities.update('tenants', (tenants) => {
    if (tenants.some((t) => t.tenant_id === DEV_TENANT_ID)) return null
    const tenant: Tenant = {
      tenant_id: DEV_TENANT_ID,
      name: 'Development',
      slug: 'dev',
      plan: 'free',
      created_at: now,
      updated_at: now,
    }
    return [...tenants, tenant]
  })
  await ensureDefaultProject(entities, DEV_TENANT_ID, now)
  const hash = hashApiKey(config.dev_key)
  await entities.update('api_keys', (keys) => {
    const existing = keys.find((k) => k.key_id === DEV_KEY_ID)
    if (existing?.key_hash === hash && existing.is_active) return null
    const { record } = buildApiKey({
      tenantId: DEV_TENANT_ID,
      type: 'live',
      label: 'Development API Key',
      createdByUserId: null,
      nowIso: existing?.created_at ?? now,
      keyId: DEV_KEY_ID,
      raw: config.dev_key,
    })
    return [...keys.filter((k) => k.key_id !== DEV_KEY_ID), record]
  })
  if (config.dev_password !== '' && !entities.list('users').some((u) => u.user_id === DEV_OWNER_ID)) {
    const passwordHash = await bcrypt.hash(config.dev_password, 10)
    await entities.update('users', (users) => {
      if (users.some((u) => u.user_id === DEV_OWNER_ID)) return null
      const owner: User = {
        user_id: DEV_OWNER_ID,
        tenant_id: DEV_TENANT_ID,
        email: DEV_OWNER_EMAIL,
        name: 'Dev Admin',
        role: 'owner',
        password_hash: passwordHash,
        token_version: 0,
        is_active: true,
        created_at: now,
        updated_at: now,
        last_login_at: null,
        settings: {},
      }
      return [...users, owner]
    })
  }
  logger.info({ tenant_id: DEV_TENANT_ID }, 'local bootstrap ready')
}
