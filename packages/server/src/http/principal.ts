import type { Request, Response } from 'express'
import type { ApiKeyType, Partition, Role } from '@hiveboard/shared'
import { AppError } from '../errors/app-error.js'

/** The authenticated caller (api.md §2): an API key or a JWT user, always inside one tenant. */
export interface Principal {
  kind: 'api_key' | 'jwt'
  tenantId: string
  /** The data partition it reads and writes (api.md §2.6). */
  partition: Partition
  keyId: string | null
  keyType: ApiKeyType | null
  /** The JWT user, or the creating user of the key (null for the local bootstrap key). */
  userId: string | null
  /** Effective role: a key's creator's current role, `viewer` for read keys (api.md §2.2). */
  role: Role
  /** Rate-limit identity: key_id or user id (api.md §1.7). */
  limitKey: string
}

export function principalOf(res: Response): Principal {
  const principal = res.locals['principal'] as Principal | undefined
  if (principal === undefined) throw new AppError('authentication_failed', 'Authentication required')
  return principal
}

export function setPrincipal(res: Response, principal: Principal): void {
  res.locals['principal'] = principal
}

const WRITE_ROLES: ReadonlySet<Role> = new Set<Role>(['owner', 'admin', 'member'])

/** `POST /v1/ingest`: live/test keys and owner/admin/member users (api.md §2.4, events.md E1). */
export function assertCanIngest(principal: Principal): void {
  if (principal.keyType === 'read') {
    throw new AppError('insufficient_permissions', 'Read-only API key cannot perform write operations')
  }
  if (!WRITE_ROLES.has(principal.role)) {
    throw new AppError('insufficient_permissions', 'Viewers cannot ingest events')
  }
}

/** Any write other than ingest: read keys and test keys are refused (api.md §2.2). */
export function assertCanWrite(principal: Principal, req: Request): void {
  if (principal.keyType === 'read') {
    throw new AppError('insufficient_permissions', 'Read-only API key cannot perform write operations')
  }
  if (principal.keyType === 'test' && req.method !== 'GET' && req.method !== 'HEAD') {
    throw new AppError('insufficient_permissions', 'Test API keys can only ingest and read')
  }
}
