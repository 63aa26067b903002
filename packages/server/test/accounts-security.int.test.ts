import jwt from 'jsonwebtoken'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { call, handToken, JWT_SECRET, login, seedUser, uniqueEmail } from './helpers/accounts.js'

let srv: TestServer
let clock: ManualClock

beforeEach(async () => {
  clock = new ManualClock('2026-02-15T10:00:00Z')
  srv = await startTestServer({ clock, config: { jwt_secret: JWT_SECRET } })
})
afterEach(async () => {
  await srv.close()
})

async function owner(): Promise<{ token: string; userId: string }> {
  const { user, password } = await seedUser(srv, 'owner')
  return { token: await login(srv, user.email, password), userId: user.user_id }
}

describe('JWT validation (api.md §2.3, §5.1)', () => {
  it('when a token is forged, unsigned, stale or malformed, then it is a 401, never a 500', async () => {
    const { user } = await seedUser(srv, 'member')
    const now = Math.floor(clock.now() / 1000)
    const claims = { sub: user.user_id, tid: 'dev', role: 'member', tv: 0, iat: now, exp: now + 60 }
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`
    const bad = [
      unsigned,
      handToken(claims, 'wrong-secret-wrong-secret-wrong-secret'),
      handToken({ ...claims, exp: now }), // exp == now: no leeway
      handToken({ ...claims, tv: 1 }),
      handToken({ ...claims, tid: 'other' }),
      handToken({ sub: user.user_id, tid: 'dev', role: 'member', iat: now, exp: now + 60 }), // no tv
      handToken({ ...claims, tv: '0' }),
      jwt.sign(claims, JWT_SECRET, { algorithm: 'HS384' }),
      'not-a-jwt',
      'a.b.c',
    ]
    for (const token of bad) {
      const res = await call(srv, 'GET', '/v1/agents', { token })
      expect(res.status, token).toBe(401)
      expect(res.body).toEqual({ error: 'authentication_failed', message: 'Invalid or expired token', status: 401 })
    }
    expect((await call(srv, 'GET', '/v1/agents', { token: handToken(claims) })).status).toBe(200)
  })

  it('when the clock passes exp, then the session ends exactly there', async () => {
    const { token } = await owner()
    clock.advance(3599_000)
    expect((await call(srv, 'GET', '/v1/users/me', { token })).status).toBe(200)
    clock.advance(1000)
    expect((await call(srv, 'GET', '/v1/users/me', { token })).status).toBe(401)
  })

  it('when a user is deactivated, changes password, changes role or logs out everywhere, then older tokens die at once', async () => {
    const admin = await owner()
    const { user, password } = await seedUser(srv, 'member')
    const t1 = await login(srv, user.email, password)
    expect(
      (await call(srv, 'PUT', `/v1/users/${user.user_id}`, { token: admin.token, body: { role: 'viewer' } })).status,
    ).toBe(200)
    expect((await call(srv, 'GET', '/v1/users/me', { token: t1 })).status).toBe(401)

    const t2 = await login(srv, user.email, password)
    const changed = await call(srv, 'POST', '/v1/auth/change-password', {
      token: t2,
      body: { current_password: password, new_password: 'brand-new-pw' },
    })
    expect(changed.body).toMatchObject({ status: 'password_changed', token_type: 'bearer', expires_in: 3600 })
    expect((await call(srv, 'GET', '/v1/users/me', { token: t2 })).status).toBe(401)
    expect((await call(srv, 'GET', '/v1/users/me', { token: changed.body.token })).status).toBe(200)
    expect((await call(srv, 'POST', '/v1/auth/login', { body: { email: user.email, password } })).status).toBe(401)

    const t3 = await login(srv, user.email, 'brand-new-pw')
    expect((await call(srv, 'POST', '/v1/auth/logout-all', { token: t3 })).body).toEqual({ status: 'logged_out' })
    expect((await call(srv, 'GET', '/v1/users/me', { token: t3 })).status).toBe(401)

    const t4 = await login(srv, user.email, 'brand-new-pw')
    expect((await call(srv, 'DELETE', `/v1/users/${user.user_id}`, { token: admin.token })).body).toEqual({
      status: 'deactivated',
    })
    expect((await call(srv, 'GET', '/v1/users/me', { token: t4 })).status).toBe(401)
    expect(
      (await call(srv, 'POST', '/v1/auth/login', { body: { email: user.email, password: 'brand-new-pw' } })).status,
    ).toBe(401)
  })

  it('when the current password is wrong, then change-password is a 401 and nothing changes', async () => {
    const { token } = await owner()
    const res = await call(srv, 'POST', '/v1/auth/change-password', {
      token,
      body: { current_password: 'nope', new_password: 'another-pw' },
    })
    expect(res.body).toMatchObject({ status: 401, message: 'Current password is incorrect' })
    expect((await call(srv, 'GET', '/v1/users/me', { token })).status).toBe(200)
  })

  it('when an API key calls a self endpoint, then it is jwt_required', async () => {
    for (const path of ['/v1/auth/change-password', '/v1/auth/logout-all']) {
      const res = await call(srv, 'POST', path, { token: srv.keys.live, body: {} })
      expect(res.body.error).toBe('jwt_required')
    }
  })

  it("when a key's creator is deactivated, then the key is a 401 until reactivation", async () => {
    const admin = await owner()
    const { user, password } = await seedUser(srv, 'member')
    const token = await login(srv, user.email, password)
    const key = (await call(srv, 'POST', '/v1/api-keys', { token, body: {} })).body.raw_key as string
    await call(srv, 'DELETE', `/v1/users/${user.user_id}`, { token: admin.token })
    expect((await call(srv, 'GET', '/v1/agents', { token: key })).status).toBe(401)
    expect((await call(srv, 'POST', `/v1/users/${user.user_id}/reactivate`, { token: admin.token })).body).toEqual({
      status: 'reactivated',
    })
    expect((await call(srv, 'GET', '/v1/agents', { token: key })).status).toBe(200)
  })
})

describe('user rules (api.md §2.4)', () => {
  it('when the last owner would be demoted or deactivated, then 409 last_owner; with two owners it works', async () => {
    const a = await owner()
    const b = await seedUser(srv, 'owner')
    const demote = (id: string, token: string) =>
      call(srv, 'PUT', `/v1/users/${id}`, { token, body: { role: 'admin' } })
    expect((await demote(b.user.user_id, a.token)).status).toBe(200)
    const last = await demote(a.userId, srv.keys.live)
    expect(last).toMatchObject({ status: 409, body: { error: 'last_owner' } })
    expect((await call(srv, 'DELETE', `/v1/users/${a.userId}`, { token: srv.keys.live })).body.error).toBe('last_owner')
    expect((await call(srv, 'DELETE', `/v1/users/${a.userId}`, { token: a.token })).body.error).toBe(
      'self_deactivation',
    )
  })

  it('when an admin grants or touches owner/admin, then it is refused', async () => {
    const { user, password } = await seedUser(srv, 'admin')
    const token = await login(srv, user.email, password)
    const other = await seedUser(srv, 'admin')
    const member = await seedUser(srv, 'member')
    const promote = await call(srv, 'PUT', `/v1/users/${member.user.user_id}`, { token, body: { role: 'owner' } })
    expect(promote).toMatchObject({ status: 403, body: { error: 'role_escalation' } })
    const create = await call(srv, 'POST', '/v1/users', {
      token,
      body: { email: uniqueEmail(), password: 'pw-123456', name: 'X', role: 'admin' },
    })
    expect(create.body.error).toBe('role_escalation')
    expect((await call(srv, 'PUT', `/v1/users/${other.user.user_id}`, { token, body: { name: 'x' } })).status).toBe(403)
    expect((await call(srv, 'DELETE', `/v1/users/${other.user.user_id}`, { token })).status).toBe(403)
    expect(
      (await call(srv, 'PUT', `/v1/users/${member.user.user_id}`, { token, body: { role: 'viewer' } })).status,
    ).toBe(200)
    const badRole = await call(srv, 'PUT', `/v1/users/${member.user.user_id}`, { token, body: { role: 'superuser' } })
    expect(badRole.body.error).toBe('validation_error')
  })

  it('when e-mails collide among active users of any tenant, then duplicate_email; inactive ones free it', async () => {
    const admin = await owner()
    const taken = await seedUser(srv, 'member', { email: 'taken@example.com' })
    const create = (email: string) =>
      call(srv, 'POST', '/v1/users', { token: admin.token, body: { email, password: 'pw-123456', name: 'Dup' } })
    expect((await create(' TAKEN@example.com ')).body.error).toBe('duplicate_email')
    const other = await seedUser(srv, 'member')
    const update = await call(srv, 'PUT', `/v1/users/${other.user.user_id}`, {
      token: admin.token,
      body: { email: 'taken@example.com' },
    })
    expect(update.body.error).toBe('duplicate_email')
    await call(srv, 'DELETE', `/v1/users/${taken.user.user_id}`, { token: admin.token })
    const fresh = await create('taken@example.com')
    expect(fresh.status).toBe(201)
    const reactivate = await call(srv, 'POST', `/v1/users/${taken.user.user_id}/reactivate`, { token: admin.token })
    expect(reactivate.body.error).toBe('duplicate_email')
    expect((await call(srv, 'POST', `/v1/users/${fresh.body.user_id}/reactivate`, { token: admin.token })).status).toBe(
      404,
    )
    const list = await call(srv, 'GET', '/v1/users?is_active=false', { token: admin.token })
    expect(list.body.data.map((u: { user_id: string }) => u.user_id)).toEqual([taken.user.user_id])
    for (const u of list.body.data) expect(Object.keys(u)).not.toContain('password_hash')
  })
})

describe('invites (api.md §4.12–4.13)', () => {
  it('when an invite expires, is reused or cancelled, then accept-invite is a 404', async () => {
    const admin = await owner()
    const invite = async (email: string) =>
      (await call(srv, 'POST', '/v1/auth/invite', { token: admin.token, body: { email } })).body as {
        invite_token: string
        invite_id: string
      }
    const accept = (token: string) =>
      call(srv, 'POST', '/v1/auth/accept-invite', { body: { invite_token: token, name: 'New', password: 'pw-123456' } })

    const once = await invite('once@example.com')
    expect(
      (await call(srv, 'POST', '/v1/auth/invite', { token: admin.token, body: { email: 'once@example.com' } })).body
        .error,
    ).toBe('invite_exists')
    expect((await accept(once.invite_token)).status).toBe(200)
    expect((await accept(once.invite_token)).body).toMatchObject({
      status: 404,
      message: 'Invite not found or expired',
    })
    expect(
      (await call(srv, 'POST', '/v1/auth/invite', { token: admin.token, body: { email: 'once@example.com' } })).body
        .error,
    ).toBe('email_exists')

    const late = await invite('late@example.com')
    const cancelled = await invite('cancel@example.com')
    expect((await call(srv, 'DELETE', `/v1/invites/${cancelled.invite_id}`, { token: admin.token })).body).toEqual({
      status: 'cancelled',
    })
    expect((await call(srv, 'DELETE', `/v1/invites/${cancelled.invite_id}`, { token: admin.token })).status).toBe(404)
    expect((await accept(cancelled.invite_token)).status).toBe(404)
    clock.advance(7 * 24 * 3600 * 1000)
    expect((await accept(late.invite_token)).status).toBe(404)
    expect((await accept('00000000-0000-4000-8000-000000000000')).status).toBe(404)

    // The owner's session expired with the week; the bootstrap key still acts as owner.
    const all = await call(srv, 'GET', '/v1/invites?status=all', { token: srv.keys.live })
    expect(all.body.data.map((i: { email: string; status: string }) => `${i.email}:${i.status}`).sort()).toEqual([
      'late@example.com:expired',
      'once@example.com:accepted',
    ])
    for (const i of all.body.data) expect(i).not.toHaveProperty('invite_token')
    expect((await call(srv, 'GET', '/v1/invites', { token: srv.keys.live })).body.data).toEqual([])
    expect((await call(srv, 'GET', '/v1/invites?status=bogus', { token: srv.keys.live })).status).toBe(400)
  })

  it('when the invited e-mail became active meanwhile, then accept-invite is 409 email_exists', async () => {
    const admin = await owner()
    const inv = await call(srv, 'POST', '/v1/auth/invite', {
      token: admin.token,
      body: { email: 'race@example.com', role: 'member' },
    })
    await call(srv, 'POST', '/v1/users', {
      token: admin.token,
      body: { email: 'race@example.com', password: 'pw-123456', name: 'R' },
    })
    const res = await call(srv, 'POST', '/v1/auth/accept-invite', {
      body: { invite_token: inv.body.invite_token, name: 'R', password: 'pw-123456' },
    })
    expect(res.body.error).toBe('email_exists')
  })
})

describe('API keys (api.md §4.13)', () => {
  it('when a member lists and revokes keys, then only their own; a revoked key is a 401 on the next request', async () => {
    const { user, password } = await seedUser(srv, 'member')
    const token = await login(srv, user.email, password)
    const mine = await call(srv, 'POST', '/v1/api-keys', { token, body: { label: 'mine', key_type: 'test' } })
    expect((await call(srv, 'POST', '/v1/api-keys', { token, body: { key_type: 'admin' } })).status).toBe(400)
    const list = await call(srv, 'GET', '/v1/api-keys', { token })
    expect(list.body.data.map((k: { key_id: string }) => k.key_id)).toEqual([mine.body.key_id])
    expect((await call(srv, 'GET', '/v1/agents', { token: mine.body.raw_key })).status).toBe(200)
    expect((await call(srv, 'DELETE', `/v1/api-keys/${mine.body.key_id}`, { token })).body).toEqual({
      status: 'revoked',
    })
    expect((await call(srv, 'GET', '/v1/agents', { token: mine.body.raw_key })).body.message).toBe('Invalid API key')
    expect((await call(srv, 'DELETE', `/v1/api-keys/${mine.body.key_id}`, { token })).status).toBe(404)
    const all = await call(srv, 'GET', '/v1/api-keys', { token: srv.keys.live })
    expect(all.body.data.length).toBeGreaterThanOrEqual(4)
    const revoked = all.body.data.find((k: { key_id: string }) => k.key_id === mine.body.key_id)
    expect(revoked).toMatchObject({ is_active: false, revoked_at: '2026-02-15T10:00:00.000Z' })
  })

  it('when a live key revokes itself, then it works once and the key is dead', async () => {
    const created = await call(srv, 'POST', '/v1/api-keys', { token: srv.keys.live, body: {} })
    const self = created.body.raw_key as string
    expect((await call(srv, 'DELETE', `/v1/api-keys/${created.body.key_id}`, { token: self })).status).toBe(200)
    expect((await call(srv, 'GET', '/v1/agents', { token: self })).status).toBe(401)
  })
})

describe('races are decided inside the single writer', () => {
  it('when the same e-mail registers twice at once, then exactly one wins and no orphan tenant is left', async () => {
    const body = (tenant: string) => ({
      email: 'race@example.com',
      password: 'pw-123456',
      name: 'R',
      tenant_name: tenant,
    })
    const results = await Promise.all([
      call(srv, 'POST', '/v1/auth/register', { body: body('Race One') }),
      call(srv, 'POST', '/v1/auth/register', { body: body('Race Two') }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([201, 409])
    const tenants = srv.storage.entities.list('tenants').filter((t) => t.slug.startsWith('race-'))
    expect(tenants).toHaveLength(1)
  })

  it('when one invite token is accepted twice at once, then exactly one user is created', async () => {
    const admin = await owner()
    const inv = await call(srv, 'POST', '/v1/auth/invite', { token: admin.token, body: { email: 'twice@example.com' } })
    const accept = () =>
      call(srv, 'POST', '/v1/auth/accept-invite', {
        body: { invite_token: inv.body.invite_token, name: 'T', password: 'pw-123456' },
      })
    const results = await Promise.all([accept(), accept()])
    expect(results.map((r) => r.status).sort()).toEqual([200, 404])
    expect(srv.storage.entities.list('users').filter((u) => u.email === 'twice@example.com')).toHaveLength(1)
  })

  it('when two owners deactivate each other at once, then one owner always remains', async () => {
    const a = await owner()
    const b = await owner()
    const results = await Promise.all([
      call(srv, 'DELETE', `/v1/users/${b.userId}`, { token: a.token }),
      call(srv, 'DELETE', `/v1/users/${a.userId}`, { token: b.token }),
    ])
    const statuses = results.map((r) => r.status).sort()
    // The second request either sees its caller already deactivated (401) or hits the last-owner rule (409).
    expect(statuses[0]).toBe(200)
    expect([401, 409]).toContain(statuses[1])
    const owners = srv.storage.entities
      .list('users')
      .filter((u) => u.tenant_id === 'dev' && u.role === 'owner' && u.is_active)
    expect(owners.length).toBeGreaterThanOrEqual(1)
  })
})
