import type { RequestHandler } from 'express'
import type { Clock } from '../clock.js'
import { iso } from '../clock.js'
import { AppError } from '../errors/app-error.js'
import type { Logger } from '../logger.js'
import type { EntityStore } from '../storage/storage.js'
import { ApiKeyIndex, keyRole } from '../domains/keys/api-keys.js'
import type { JwtAuthenticator } from '../domains/auth/jwt-auth.js'
import { setPrincipal, type Principal } from './principal.js'

const BEARER = /^bearer\s+(\S+)\s*$/i
const LAST_USED_WRITE_MS = 60_000

export interface AuthDeps {
  entities: EntityStore
  clock: Clock
  logger: Logger
  jwt: JwtAuthenticator
}

/** Resolves a bearer credential to a principal, or undefined (never says which part failed). */
export function createCredentialResolver(deps: AuthDeps): (credential: string) => Principal | undefined {
  const keys = new ApiKeyIndex(deps.entities)
  const lastUsedWrites = new Map<string, number>()
  const touch = (keyId: string): void => {
    const now = deps.clock.now()
    if (now - (lastUsedWrites.get(keyId) ?? -Infinity) < LAST_USED_WRITE_MS) return
    lastUsedWrites.set(keyId, now)
    // Durable at most once per key per minute (api.md §2.2); never delays the request.
    deps.entities
      .update('api_keys', (items) => items.map((k) => (k.key_id === keyId ? { ...k, last_used_at: iso(now) } : k)))
      .catch((error: unknown) => deps.logger.warn({ err: error, key_id: keyId }, 'could not record last_used_at'))
  }
  return (credential) => {
    if (!credential.startsWith('hb_')) return deps.jwt(credential)
    const key = keys.find(credential)
    if (key === undefined) return undefined
    const role = keyRole(key, deps.entities.list('users'))
    if (role === undefined) return undefined
    touch(key.key_id)
    return {
      kind: 'api_key',
      tenantId: key.tenant_id,
      partition: key.key_type === 'test' ? 'test' : 'live',
      keyId: key.key_id,
      keyType: key.key_type,
      userId: key.created_by_user_id,
      role,
      limitKey: `key:${key.key_id}`,
    }
  }
}

/** Authenticates every request it sees (api.md §2.1): 401 `authentication_failed` on any failure. */
export function authenticate(resolve: (credential: string) => Principal | undefined): RequestHandler {
  return (req, res, next) => {
    const match = BEARER.exec(req.headers.authorization ?? '')
    if (match === null) {
      next(
        new AppError('authentication_failed', 'Missing or invalid Authorization header. Use: Bearer {api_key_or_jwt}'),
      )
      return
    }
    const credential = match[1] as string
    const principal = resolve(credential)
    if (principal === undefined) {
      const message = credential.startsWith('hb_') ? 'Invalid API key' : 'Invalid or expired token'
      next(new AppError('authentication_failed', message))
      return
    }
    setPrincipal(res, principal)
    next()
  }
}
