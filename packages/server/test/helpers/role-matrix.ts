import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, type TestServerOptions } from '../../src/testing/index.js'
import { call, handToken, JWT_SECRET, login, register, seedUser } from './accounts.js'

/** Every kind of caller of api.md §2.4, plus the unauthenticated and wrong-credential columns. */
export const CALLERS = [
  'owner',
  'admin',
  'member',
  'viewer',
  'live',
  'test',
  'read',
  'memberLive',
  'none',
  'expired',
  'otherTenant',
  'forged',
] as const
export type Caller = (typeof CALLERS)[number]
/** A status, or a status with the error code it must carry. */
export type Cell = number | [number, string]
export type Expect = Record<Caller, Cell>

export interface Ctx {
  srv: TestServer
  projectId: string
  memberId: string
  viewerId: string
  ownerToken: string
  /** The caller's own credential (undefined for `none`). */
  token: string | undefined
  /** The JWT callers' passwords (change-password needs them). */
  password: string | undefined
}
export interface Req {
  method: string
  path: string
  body?: unknown
}
/** What a cell observed: an HTTP status and body, or for a socket its close code / open outcome. */
export interface Outcome {
  status: number
  body: { error?: string } | null
}
export interface MatrixRow {
  group: string
  /** Builds the request; runs before each cell, so it may create what the cell consumes. */
  req: (ctx: Ctx) => Req | Promise<Req>
  /** For non-HTTP endpoints (the stream): performs the cell itself instead of `req`. */
  perform?: (ctx: Ctx) => Promise<Outcome>
  expect: Expect
}

/** Shorthand: the same status for the three unauthenticated columns. */
export const row = (cells: Omit<Expect, 'none' | 'expired' | 'forged'>): Expect => ({
  ...cells,
  none: 401,
  expired: 401,
  forged: 401,
})

/** One real server per file, every row × every caller in order (rows may depend on earlier state). */
export function walkMatrix(
  title: string,
  rows: readonly MatrixRow[],
  serverOptions: () => TestServerOptions = () => ({}),
): void {
  let srv: TestServer
  let base: Omit<Ctx, 'token' | 'password'>
  const tokens = new Map<Caller, string | undefined>()
  const passwords = new Map<Caller, string>()

  beforeAll(async () => {
    const options = serverOptions()
    srv = await startTestServer({ ...options, config: { ...options.config, jwt_secret: JWT_SECRET } })
    const seeded = {
      owner: await seedUser(srv, 'owner'),
      admin: await seedUser(srv, 'admin'),
      member: await seedUser(srv, 'member'),
      viewer: await seedUser(srv, 'viewer'),
    }
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
      tokens.set(role, await login(srv, seeded[role].user.email, seeded[role].password))
      passwords.set(role, seeded[role].password)
    }
    const memberKey = await call(srv, 'POST', '/v1/api-keys', {
      token: tokens.get('member'),
      body: { key_type: 'live' },
    })
    const other = await register(srv, { tenant_name: 'Other Tenant' })
    const now = Math.floor(srv.clock.now() / 1000)
    const ownerClaims = { sub: seeded.owner.user.user_id, tid: 'dev', role: 'owner', tv: 0 }
    tokens.set('live', srv.keys.live)
    tokens.set('test', srv.keys.test)
    tokens.set('read', srv.keys.read)
    tokens.set('memberLive', memberKey.body.raw_key as string)
    tokens.set('none', undefined)
    tokens.set('expired', handToken({ ...ownerClaims, iat: now - 7200, exp: now - 3600 }))
    tokens.set('otherTenant', await login(srv, other.body.user.email as string, 'correct horse'))
    passwords.set('otherTenant', 'correct horse')
    tokens.set(
      'forged',
      handToken({ ...ownerClaims, iat: now, exp: now + 3600 }, 'not-the-server-secret-at-all-000000'),
    )
    const projects = await call(srv, 'GET', '/v1/projects', { token: srv.keys.live })
    base = {
      srv,
      projectId: projects.body.data[0].project_id as string,
      memberId: seeded.member.user.user_id,
      viewerId: seeded.viewer.user.user_id,
      ownerToken: tokens.get('owner') as string,
    }
  })
  afterAll(async () => {
    await srv.close()
  })

  describe(title, () => {
    const cases = rows.flatMap((r) =>
      CALLERS.map((caller) => ({ group: r.group, caller, req: r.req, perform: r.perform, cell: r.expect[caller] })),
    )
    it.each(cases)('$group as $caller → $cell', async ({ caller, req, perform, cell }) => {
      const token = tokens.get(caller)
      const ctx = { ...base, token, password: passwords.get(caller) }
      let res: Outcome
      if (perform !== undefined) res = await perform(ctx)
      else {
        const request = await req(ctx)
        res = await call(srv, request.method, request.path, { token, body: request.body })
      }
      const [status, code] = typeof cell === 'number' ? [cell, undefined] : cell
      expect(res.status, JSON.stringify(res.body)).toBe(status)
      if (status >= 400)
        expect(res.body?.error).toBe(
          code ??
            (status === 401 ? 'authentication_failed' : status === 403 ? 'insufficient_permissions' : 'not_found'),
        )
    })
  })
}

/** Reads of the caller's partition: every authenticated caller, other tenants included (they see their own). */
export const EVERY_READER = row({
  owner: 200,
  admin: 200,
  member: 200,
  viewer: 200,
  live: 200,
  test: 200,
  read: 200,
  memberLive: 200,
  otherTenant: 200,
})

/** Self-service on one's own account: every signed-in user; API keys get jwt_required. */
export const SIGNED_IN_USER = row({
  owner: 200,
  admin: 200,
  member: 200,
  viewer: 200,
  live: [403, 'jwt_required'],
  test: [403, 'jwt_required'],
  read: [403, 'jwt_required'],
  memberLive: [403, 'jwt_required'],
  otherTenant: 200,
})
