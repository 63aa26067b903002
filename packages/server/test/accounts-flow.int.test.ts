import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { call, handToken, JWT_SECRET, login, register, uniqueEmail } from './helpers/accounts.js'

let srv: TestServer
let clock: ManualClock

beforeEach(async () => {
  clock = new ManualClock('2026-02-15T10:00:00Z')
  srv = await startTestServer({ clock, config: { jwt_secret: JWT_SECRET } })
})
afterEach(async () => {
  await srv.close()
})

describe('account flow end to end', () => {
  it('when a workspace registers, then its owner logs in, makes a key, ingests, invites, and the invitee sees the same data', async () => {
    const email = uniqueEmail('founder')
    const reg = await register(srv, { email: ` ${email.toUpperCase()} `, tenant_name: 'NewCo Labs!', name: 'Founder' })
    expect(reg.status).toBe(201)
    expect(reg.body.tenant).toMatchObject({ name: 'NewCo Labs!', slug: 'newco-labs' })
    expect(reg.body.user).toMatchObject({ email, role: 'owner', is_active: true, last_login_at: null })
    expect(reg.body.user).not.toHaveProperty('password_hash')
    expect(reg.body.api_key).toMatch(/^hb_live_[0-9a-f]{32}$/)

    const defaultKeyAgents = await call(srv, 'GET', '/v1/projects', { token: reg.body.api_key })
    expect(defaultKeyAgents.body.data.map((p: { slug: string }) => p.slug)).toEqual(['default'])

    const session = await call(srv, 'POST', '/v1/auth/login', { body: { email, password: 'correct horse' } })
    expect(session.status).toBe(200)
    expect(session.body).toMatchObject({ token_type: 'bearer', expires_in: 3600, tenant: reg.body.tenant })
    expect(session.body.user.last_login_at).toBe('2026-02-15T10:00:00.000Z')
    const token = session.body.token as string

    const key = await call(srv, 'POST', '/v1/api-keys', { token, body: { label: 'agents' } })
    expect(key.status).toBe(201)
    expect(key.body).toMatchObject({ key_type: 'live', label: 'agents', created_by_user_id: reg.body.user.user_id })
    expect(key.body.key_prefix).toBe(key.body.raw_key.slice(0, 12))

    const ingest = await call(srv, 'POST', '/v1/ingest', { token: key.body.raw_key, body: ingestBody(3) })
    expect(ingest.status).toBe(200)

    const invite = await call(srv, 'POST', '/v1/auth/invite', {
      token,
      body: { email: 'Mate@Example.com', role: 'viewer' },
    })
    expect(invite.status).toBe(201)
    expect(invite.body).toMatchObject({
      email: 'mate@example.com',
      role: 'viewer',
      tenant_id: reg.body.tenant.tenant_id,
    })
    expect(invite.body.expires_at).toBe('2026-02-22T10:00:00.000Z')

    const accepted = await call(srv, 'POST', '/v1/auth/accept-invite', {
      body: { invite_token: invite.body.invite_token, name: 'Mate', password: 'mate-password' },
    })
    expect(accepted.status).toBe(200)
    expect(accepted.body.user).toMatchObject({
      email: 'mate@example.com',
      role: 'viewer',
      tenant_id: reg.body.tenant.tenant_id,
    })

    const mateToken = await login(srv, 'mate@example.com', 'mate-password')
    const agents = await call(srv, 'GET', '/v1/agents', { token: mateToken })
    expect(agents.body.data.map((a: { agent_id: string }) => a.agent_id)).toEqual(['agent-1'])
    const me = await call(srv, 'GET', '/v1/users/me', { token: mateToken })
    expect(me.body).toMatchObject({ email: 'mate@example.com', name: 'Mate', role: 'viewer' })

    const devAgents = await call(srv, 'GET', '/v1/agents', { token: srv.keys.live })
    expect(devAgents.body.data).toEqual([])

    const keys = await call(srv, 'GET', '/v1/api-keys', { token })
    expect(keys.body.data).toHaveLength(2)
    for (const k of keys.body.data) expect(k).not.toHaveProperty('raw_key')
  })

  it('when check-slug is asked, then it normalises and reports availability', async () => {
    await register(srv, { tenant_name: 'Acme Corp' })
    expect((await call(srv, 'GET', '/v1/auth/check-slug?slug=ACME%20corp')).body).toEqual({
      slug: 'acme-corp',
      available: false,
    })
    expect((await call(srv, 'GET', '/v1/auth/check-slug?slug=Other')).body).toEqual({ slug: 'other', available: true })
    expect((await call(srv, 'GET', '/v1/auth/check-slug?slug=')).body).toEqual({ slug: '', available: false })
    expect((await call(srv, 'GET', '/v1/auth/check-slug?slug=***')).body).toEqual({ slug: '', available: false })
    expect((await call(srv, 'GET', '/v1/auth/check-slug')).status).toBe(400)
    const long = 'a'.repeat(60)
    expect((await call(srv, 'GET', `/v1/auth/check-slug?slug=${long}`)).body.slug).toHaveLength(48)
  })

  it('when registering, then e-mail, pending invite and slug conflicts are reported in that order', async () => {
    const first = await register(srv, { tenant_name: 'Taken' })
    const owner = first.body.user.email as string
    expect((await register(srv, { email: owner, tenant_name: 'Taken' })).body.error).toBe('email_exists')
    expect((await register(srv, { tenant_name: 'taken' })).body.error).toBe('slug_exists')
    const token = await login(srv, owner, 'correct horse')
    await call(srv, 'POST', '/v1/auth/invite', { token, body: { email: 'invited@example.com' } })
    const pending = await register(srv, { email: 'invited@example.com', tenant_name: 'Taken' })
    expect(pending).toMatchObject({ status: 409, body: { error: 'pending_invite' } })
    expect((await register(srv, { tenant_name: '---' })).status).toBe(400)
    expect((await register(srv, { password: '12345' })).status).toBe(400)
    expect((await register(srv, { email: 'not-an-email' })).body.details.fields[0].field).toBe('body.email')
  })

  it('when login fails for any reason, then it is one 401 that reveals nothing', async () => {
    const reg = await register(srv, { tenant_name: 'Login Co' })
    const email = reg.body.user.email as string
    const wrong = await call(srv, 'POST', '/v1/auth/login', { body: { email, password: 'nope-nope' } })
    const unknown = await call(srv, 'POST', '/v1/auth/login', {
      body: { email: 'ghost@example.com', password: 'nope-nope' },
    })
    const malformed = await call(srv, 'POST', '/v1/auth/login', { body: { email: 'not an email', password: 'x' } })
    const otherTenant = await call(srv, 'POST', '/v1/auth/login?tenant_id=dev', {
      body: { email, password: 'correct horse' },
    })
    for (const res of [wrong, unknown, otherTenant, malformed]) {
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ error: 'authentication_failed', message: 'Invalid email or password', status: 401 })
    }
    const bySlug = await call(srv, 'POST', '/v1/auth/login', {
      body: { email, password: 'correct horse', tenant_id: 'login-co' },
    })
    expect(bySlug.status).toBe(200)
  })
})

describe('local defaults', () => {
  it('when jwt_secret is empty in local mode, then sessions use a per-process secret; the dev owner can log in', async () => {
    const local = await startTestServer({ config: { dev_password: 'dev-password' } })
    try {
      const token = await login(local, 'admin@hiveboard.dev', 'dev-password')
      const me = await call(local, 'GET', '/v1/users/me', { token })
      expect(me.body).toMatchObject({ user_id: 'dev-owner', role: 'owner', tenant_id: 'dev' })
      const head = await fetch(`${local.url}/v1/users/me`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${token}` },
      })
      expect(head.status).toBe(200)
      // The same claims signed with a guessable secret are refused: the per-process secret is random.
      const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as object
      for (const guess of ['', 'x', 'secret']) {
        const forged = handToken(
          claims as Record<string, unknown>,
          guess === '' ? 'empty-is-not-allowed-by-jwt' : guess,
        )
        expect((await call(local, 'GET', '/v1/users/me', { token: forged })).status).toBe(401)
      }
    } finally {
      await local.close()
    }
  })
})
