import { randomBytes } from 'node:crypto'
import jwt from 'jsonwebtoken'
import type { Clock } from '../../clock.js'
import type { Principal } from '../../http/principal.js'
import type { User } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'

/** Verifies a session JWT (api.md §2.3) and returns its principal, or undefined for any failure. */
export type JwtAuthenticator = (token: string) => Principal | undefined

export const rejectAllJwts: JwtAuthenticator = () => undefined

export interface JwtSettings {
  secret: string
  expirySeconds: number
}

/** api.md §3: local mode with an empty `jwt_secret` signs with a random per-process secret. */
export function jwtSecretFor(configured: string): string {
  return configured !== '' ? configured : randomBytes(32).toString('hex')
}

interface Claims {
  sub: string
  tid: string
  role: string
  tv: number
  iat: number
  exp: number
}

function isClaims(value: unknown): value is Claims {
  if (typeof value !== 'object' || value === null) return false
  const c = value as Record<string, unknown>
  return (
    typeof c['sub'] === 'string' &&
    typeof c['tid'] === 'string' &&
    typeof c['role'] === 'string' &&
    Number.isInteger(c['tv']) &&
    Number.isInteger(c['iat']) &&
    Number.isInteger(c['exp'])
  )
}

/** Issues `{sub, tid, role, tv, iat, exp = iat + jwt_expiry}` with the injected clock (api.md §2.3). */
export function signToken(user: User, settings: JwtSettings, clock: Clock): string {
  const iat = Math.floor(clock.now() / 1000)
  const claims: Claims = {
    sub: user.user_id,
    tid: user.tenant_id,
    role: user.role,
    tv: user.token_version,
    iat,
    exp: iat + settings.expirySeconds,
  }
  // NOTE: jsonwebtoken keeps a given `iat` (from the injected clock); `noTimestamp` would drop it.
  return jwt.sign(claims, settings.secret, { algorithm: 'HS256' })
}

/**
 * HS256 only (`none` and every other alg → 401); `exp > now` with no leeway; the user must exist in
 * `tid`, be active and still hold token version `tv`. Permissions use the stored role, never the claim.
 */
export function createJwtAuthenticator(entities: EntityStore, settings: JwtSettings, clock: Clock): JwtAuthenticator {
  return (token) => {
    let payload: unknown
    try {
      payload = jwt.verify(token, settings.secret, {
        algorithms: ['HS256'],
        clockTimestamp: Math.floor(clock.now() / 1000),
        clockTolerance: 0,
      })
    } catch {
      return undefined
    }
    if (!isClaims(payload) || payload.exp * 1000 <= clock.now()) return undefined
    const user = entities.list('users').find((u) => u.user_id === payload.sub && u.tenant_id === payload.tid)
    if (user === undefined || !user.is_active || user.token_version !== payload.tv) return undefined
    return {
      kind: 'jwt',
      tenantId: user.tenant_id,
      partition: 'live',
      keyId: null,
      keyType: null,
      userId: user.user_id,
      role: user.role,
      limitKey: `user:${user.user_id}`,
    }
  }
}
