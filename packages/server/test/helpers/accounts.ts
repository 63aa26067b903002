import bcrypt from 'bcryptjs'
import jwt from 'jsonwebtoken'
import type { Role } from '@hiveboard/shared'
import type { TestServer } from '../../src/testing/index.js'
import type { User } from '../../src/storage/entities.js'

export const JWT_SECRET = 'k3y-Zq9!mW2#tR7$vL4&pX8*nB5^cJ1@hF6'

export interface ApiResult {
  status: number
  body: any
  headers: Headers
}

/** One request with an optional bearer credential and JSON body. */
export async function call(
  srv: TestServer,
  method: string,
  path: string,
  options: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(srv.url + path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : JSON.parse(text), headers: res.headers }
}

let counter = 0
export function uniqueEmail(prefix = 'user'): string {
  counter++
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`
}

/** Writes a user straight into storage (the API paths are tested elsewhere) and returns its password. */
export async function seedUser(
  srv: TestServer,
  role: Role,
  options: { tenantId?: string; email?: string; password?: string } = {},
): Promise<{ user: User; password: string }> {
  const password = options.password ?? `pw-${role}-${Math.random().toString(36).slice(2)}`
  const now = new Date(srv.clock.now()).toISOString()
  const user: User = {
    user_id: `u-${role}-${Math.random().toString(36).slice(2, 10)}`,
    tenant_id: options.tenantId ?? srv.keys.tenantId,
    email: options.email ?? uniqueEmail(role),
    name: `${role} user`,
    role,
    password_hash: await bcrypt.hash(password, 10),
    token_version: 0,
    is_active: true,
    created_at: now,
    updated_at: now,
    last_login_at: null,
    settings: {},
  }
  await srv.storage.entities.update('users', (users) => [...users, user])
  return { user, password }
}

export async function login(srv: TestServer, email: string, password: string): Promise<string> {
  const res = await call(srv, 'POST', '/v1/auth/login', { body: { email, password } })
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.token as string
}

/** A token signed by hand: for expired, forged and malformed cases. */
export function handToken(claims: Record<string, unknown>, secret = JWT_SECRET): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', noTimestamp: !('iat' in claims) })
}

export function register(srv: TestServer, overrides: Record<string, unknown> = {}): Promise<ApiResult> {
  return call(srv, 'POST', '/v1/auth/register', {
    body: {
      email: uniqueEmail('owner'),
      password: 'correct horse',
      name: 'Owner',
      tenant_name: `Co ${Math.random()}`,
      ...overrides,
    },
  })
}
