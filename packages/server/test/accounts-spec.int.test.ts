import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../src/clock.js'
import { startTestServer, type TestServer } from '../src/testing/index.js'
import { call, JWT_SECRET, login, register, seedUser, uniqueEmail, type ApiResult } from './helpers/accounts.js'

/**
 * The field rules, messages and object shapes of api.md §2.1, §4.10, §4.12 and §4.13 that the flow,
 * security and matrix tests do not pin down, one rule per assertion.
 */

let srv: TestServer
let ownerToken: string
let ownerEmail: string
let ownerId: string
const as = (token: string | undefined, method: string, path: string, body?: unknown): Promise<ApiResult> =>
  call(srv, method, path, { token, body })
const owner = (method: string, path: string, body?: unknown) => as(ownerToken, method, path, body)
const newUser = (fields: Record<string, unknown> = {}) =>
  owner('POST', '/v1/users', { email: uniqueEmail(), password: 'secret1', name: 'N', ...fields })

const USER_FIELDS = [
  'created_at',
  'email',
  'is_active',
  'last_login_at',
  'name',
  'role',
  'settings',
  'tenant_id',
  'updated_at',
  'user_id',
]

beforeEach(async () => {
  srv = await startTestServer({ clock: new ManualClock('2026-02-15T10:00:00Z'), config: { jwt_secret: JWT_SECRET } })
  const seeded = await seedUser(srv, 'owner')
  ownerEmail = seeded.user.email
  ownerId = seeded.user.user_id
  ownerToken = await login(srv, ownerEmail, seeded.password)
})
afterEach(async () => {
  await srv.close()
})

describe('credentials (api.md §2.1, §2.2)', () => {
  it('when a credential is missing, unknown or a read key writes, then the spec messages are used', async () => {
    expect((await as(undefined, 'GET', '/v1/agents')).body.message).toBe(
      'Missing or invalid Authorization header. Use: Bearer {api_key_or_jwt}',
    )
    const unknownKey = await as('hb_live_00000000000000000000000000000000', 'GET', '/v1/agents')
    expect(unknownKey.body.message).toBe('Invalid API key')
    expect((await as('abc.def.ghi', 'GET', '/v1/agents')).body.message).toBe('Invalid or expired token')
    const readWrite = await as(srv.keys.read, 'POST', '/v1/projects', { name: 'x' })
    expect(readWrite.body).toMatchObject({
      error: 'insufficient_permissions',
      message: 'Read-only API key cannot perform write operations',
    })
  })
})

describe('users (api.md §4.12 field rules, §4.13)', () => {
  it('when fields break the rules, then 400: role enum, password 6–72 bytes, e-mail shape and length, name 1–100', async () => {
    expect((await newUser({ role: 'boss' })).status).toBe(400)
    expect((await newUser({ password: '12345' })).status).toBe(400)
    expect((await newUser({ password: 'é'.repeat(37) })).status).toBe(400) // 74 bytes in 37 characters
    expect((await newUser({ password: 'a'.repeat(72) })).status).toBe(201)
    expect((await newUser({ email: `${'a'.repeat(250)}@x.io` })).status).toBe(400)
    expect((await newUser({ email: 'nodomain' })).status).toBe(400)
    expect((await newUser({ name: '' })).status).toBe(400)
    expect((await newUser({ name: 'n'.repeat(101) })).status).toBe(400)
  })

  it('when users are created, listed, updated, deactivated and reactivated, then bodies and messages match', async () => {
    const created = await newUser()
    expect(created.status).toBe(201)
    expect(Object.keys(created.body).sort()).toEqual(USER_FIELDS)
    expect(created.body.role).toBe('member')
    const id = created.body.user_id as string
    expect((await newUser({ email: created.body.email.toUpperCase() })).body.error).toBe('duplicate_email')
    const members = await owner('GET', '/v1/users?role=member')
    expect(members.body.data.map((u: { user_id: string }) => u.user_id)).toEqual([id])
    expect((await owner('GET', '/v1/users?role=boss')).status).toBe(400)
    expect((await owner('GET', '/v1/users?is_active=maybe')).status).toBe(400)
    expect((await owner('GET', '/v1/users/nope')).body.message).toBe('User not found')
    const put = await owner('PUT', `/v1/users/${id}`, { name: 'Renamed', settings: { theme: 'dark' } })
    expect(put.body).toMatchObject({ name: 'Renamed', settings: { theme: 'dark' } })
    expect((await owner('PUT', `/v1/users/${id}`, { email: ownerEmail })).body.error).toBe('duplicate_email')
    expect((await owner('DELETE', `/v1/users/${id}`)).body).toEqual({ status: 'deactivated' })
    expect((await owner('DELETE', `/v1/users/${id}`)).status).toBe(404)
    const inactive = await owner('GET', '/v1/users?is_active=false')
    expect(inactive.body.data.map((u: { user_id: string }) => u.user_id)).toEqual([id])
    expect((await owner('POST', `/v1/users/${id}/reactivate`)).body).toEqual({ status: 'reactivated' })
    const again = await owner('POST', `/v1/users/${id}/reactivate`)
    expect(again.body).toMatchObject({ status: 404, message: 'User not found or already active' })
    expect((await owner('DELETE', `/v1/users/${ownerId}`)).body.error).toBe('self_deactivation')
  })

  it('when an inactive e-mail became active in another workspace, then reactivate and every write path refuse it', async () => {
    const shared = uniqueEmail('shared')
    const user = await newUser({ email: shared })
    await owner('DELETE', `/v1/users/${user.body.user_id}`)
    expect((await register(srv, { email: shared })).status).toBe(201)
    expect((await owner('POST', `/v1/users/${user.body.user_id}/reactivate`)).body.error).toBe('duplicate_email')
    expect((await owner('POST', '/v1/auth/invite', { email: shared })).body.error).toBe('email_exists')
    expect((await newUser({ email: shared })).body.error).toBe('duplicate_email')
    const other = await newUser()
    expect((await owner('PUT', `/v1/users/${other.body.user_id}`, { email: shared })).body.error).toBe(
      'duplicate_email',
    )
  })
})

describe('API keys (api.md §4.13)', () => {
  it('when keys are created, listed and revoked, then defaults, shapes and messages match', async () => {
    const key = await owner('POST', '/v1/api-keys', {})
    expect(key.status).toBe(201)
    expect(key.body).toMatchObject({ label: 'API key', key_type: 'live', created_by_user_id: ownerId })
    expect(Object.keys(key.body).sort()).toEqual([
      'created_at',
      'created_by_user_id',
      'key_id',
      'key_prefix',
      'key_type',
      'label',
      'raw_key',
    ])
    expect((await owner('POST', '/v1/api-keys', { key_type: 'admin' })).status).toBe(400)
    expect((await owner('POST', '/v1/api-keys', { label: '' })).status).toBe(400)
    expect((await owner('POST', '/v1/api-keys', { label: 'x'.repeat(101) })).status).toBe(400)
    expect((await owner('DELETE', `/v1/api-keys/${key.body.key_id}`)).body).toEqual({ status: 'revoked' })
    const twice = await owner('DELETE', `/v1/api-keys/${key.body.key_id}`)
    expect(twice.body).toMatchObject({ status: 404, message: 'API key not found' })
    const listed = (await owner('GET', '/v1/api-keys')).body.data.find(
      (k: { key_id: string }) => k.key_id === key.body.key_id,
    )
    expect(Object.keys(listed).sort()).toEqual([
      'created_at',
      'created_by_user_id',
      'is_active',
      'key_id',
      'key_prefix',
      'key_type',
      'label',
      'last_used_at',
      'revoked_at',
    ])
    expect(listed).toMatchObject({ is_active: false, revoked_at: '2026-02-15T10:00:00.000Z' })
  })

  it('when a viewer or member reaches past their keys, then the spec messages are used', async () => {
    const viewer = await seedUser(srv, 'viewer')
    const viewerToken = await login(srv, viewer.user.email, viewer.password)
    const liveByViewer = await as(viewerToken, 'POST', '/v1/api-keys', { key_type: 'live' })
    expect(liveByViewer.body).toMatchObject({ status: 403, message: 'Viewers can only create read keys' })
    expect((await as(viewerToken, 'POST', '/v1/api-keys', { key_type: 'read' })).status).toBe(201)
    const member = await seedUser(srv, 'member')
    const memberToken = await login(srv, member.user.email, member.password)
    const ownersKey = await owner('POST', '/v1/api-keys', {})
    const revoke = await as(memberToken, 'DELETE', `/v1/api-keys/${ownersKey.body.key_id}`)
    expect(revoke.body).toMatchObject({ status: 403, message: 'Can only revoke your own keys' })
  })
})

describe('invites (api.md §4.12, §4.13)', () => {
  it('when invites are made, listed and cancelled, then defaults, shapes, conflicts and messages match', async () => {
    const invite = await owner('POST', '/v1/auth/invite', { email: uniqueEmail('inv') })
    expect(invite.status).toBe(201)
    expect(Object.keys(invite.body).sort()).toEqual([
      'email',
      'expires_at',
      'invite_id',
      'invite_token',
      'name',
      'role',
      'tenant_id',
    ])
    expect(invite.body.role).toBe('member')
    expect(invite.body.invite_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect((await owner('POST', '/v1/auth/invite', { email: invite.body.email })).body.error).toBe('invite_exists')
    expect((await owner('POST', '/v1/auth/invite', { email: ownerEmail })).body.error).toBe('email_exists')
    expect((await owner('POST', '/v1/auth/invite', { email: uniqueEmail(), role: 'boss' })).status).toBe(400)
    expect((await register(srv, { email: invite.body.email })).body.error).toBe('pending_invite')
    const listed = await owner('GET', '/v1/invites')
    expect(Object.keys(listed.body.data[0]).sort()).toEqual([
      'accepted_at',
      'created_at',
      'created_by_user_id',
      'email',
      'expires_at',
      'invite_id',
      'name',
      'role',
      'status',
    ])
    expect((await owner('GET', '/v1/invites?status=bogus')).status).toBe(400)
    expect((await owner('DELETE', `/v1/invites/${invite.body.invite_id}`)).body).toEqual({ status: 'cancelled' })
    const twice = await owner('DELETE', `/v1/invites/${invite.body.invite_id}`)
    expect(twice.body).toMatchObject({ status: 404, message: 'Invite not found' })
  })

  it('when accept-invite fields are invalid, then 400 and the token still works afterwards', async () => {
    const invite = await owner('POST', '/v1/auth/invite', { email: uniqueEmail('acc') })
    const accept = (name: string, password: string) =>
      as(undefined, 'POST', '/v1/auth/accept-invite', { invite_token: invite.body.invite_token, name, password })
    expect((await accept('', 'secret1')).status).toBe(400)
    expect((await accept('N', '123')).status).toBe(400)
    expect((await accept('N', 'secret1')).status).toBe(200)
  })
})

describe('auth (api.md §4.12)', () => {
  it('when registering and logging in, then slug rules, the default key and the tenant selector work', async () => {
    const reg = await register(srv, { tenant_name: 'Sel Co' })
    expect(Object.keys(reg.body).sort()).toEqual(['api_key', 'tenant', 'user'])
    expect(reg.body.tenant.tenant_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const keys = await as(reg.body.api_key, 'GET', '/v1/api-keys')
    expect(keys.body.data.map((k: { label: string }) => k.label)).toEqual(['Default API Key'])
    expect((await register(srv, { tenant_name: 'A'.repeat(60) })).body.tenant.slug).toBe('a'.repeat(48))
    expect((await register(srv, { tenant_name: '!!!' })).status).toBe(400)
    expect((await register(srv, { tenant_name: 'x'.repeat(101) })).status).toBe(400)
    expect((await register(srv, { name: '' })).status).toBe(400)
    expect((await register(srv, { password: '12345' })).status).toBe(400)
    const email = reg.body.user.email as string
    const loginAs = (path: string, body: Record<string, unknown>) =>
      as(undefined, 'POST', path, { email, password: 'correct horse', ...body })
    const bySlug = await loginAs('/v1/auth/login?tenant_id=sel-co', {})
    expect(bySlug.status).toBe(200)
    expect(Object.keys(bySlug.body).sort()).toEqual(['expires_in', 'tenant', 'token', 'token_type', 'user'])
    expect((await loginAs('/v1/auth/login', { tenant_id: reg.body.tenant.tenant_id })).status).toBe(200)
    expect((await loginAs('/v1/auth/login', { tenant_id: 'dev' })).status).toBe(401)
  })

  it('when check-slug is asked without or with an empty slug, then 400 or unavailable', async () => {
    expect((await as(undefined, 'GET', '/v1/auth/check-slug')).status).toBe(400)
    expect((await as(undefined, 'GET', '/v1/auth/check-slug?slug=')).body).toEqual({ slug: '', available: false })
  })

  it('when the password changes and then every session ends, then the new token dies with the rest', async () => {
    const seeded = await seedUser(srv, 'member')
    const token = await login(srv, seeded.user.email, seeded.password)
    const changed = await as(token, 'POST', '/v1/auth/change-password', {
      current_password: seeded.password,
      new_password: 'newpass1',
    })
    expect(Object.keys(changed.body).sort()).toEqual(['expires_in', 'status', 'token', 'token_type'])
    expect(changed.body).toMatchObject({ status: 'password_changed', token_type: 'bearer', expires_in: 3600 })
    const fresh = changed.body.token as string
    expect((await as(fresh, 'POST', '/v1/auth/logout-all')).body).toEqual({ status: 'logged_out' })
    expect((await as(fresh, 'GET', '/v1/users/me')).status).toBe(401)
    expect((await as(await login(srv, seeded.user.email, 'newpass1'), 'GET', '/v1/users/me')).status).toBe(200)
  })
})

describe('projects (api.md §4.10 field rules)', () => {
  it('when project fields break the limits, then 400; default and self-reassign are refused', async () => {
    expect((await owner('POST', '/v1/projects', { name: 'p', description: 'd'.repeat(1001) })).status).toBe(400)
    expect((await owner('POST', '/v1/projects', { name: 'p', environment: 'e'.repeat(65) })).status).toBe(400)
    expect((await owner('POST', '/v1/projects', { name: 'p', settings: { big: 'x'.repeat(17000) } })).status).toBe(400)
    expect((await owner('POST', '/v1/projects', { name: 'n'.repeat(101) })).status).toBe(400)
    expect((await owner('POST', '/v1/projects', { name: '!!!' })).status).toBe(400)
    expect((await owner('GET', '/v1/projects?include_archived=maybe')).status).toBe(400)
    expect((await owner('DELETE', '/v1/projects/default')).body.error).toBe('cannot_delete_default')
    expect((await owner('POST', '/v1/projects/default/merge', {})).status).toBe(400)
    expect((await owner('POST', '/v1/projects', { name: 'Proj One' })).body.slug).toBe('proj-one')
    expect((await owner('DELETE', '/v1/projects/proj-one?reassign_to=proj-one')).status).toBe(404)
    expect((await owner('DELETE', '/v1/projects/proj-one')).body).toEqual({
      status: 'deleted',
      events_reassigned: 0,
      reassigned_to: 'default',
    })
  })
})
