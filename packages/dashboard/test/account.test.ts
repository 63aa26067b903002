import { describe, expect, it } from 'vitest'
import {
  acceptInviteErrorText,
  accountErrorText,
  clearSession,
  hasValidSession,
  loginErrorText,
  passwordProblem,
  formFieldName,
  readSessionUser,
  sdkSnippet,
  slugify,
  storeRenewedToken,
  storeSession,
} from '../src/account/session.js'
import {
  canManageTeam,
  canManageUser,
  canRevokeKey,
  canWriteProjects,
  creatableKeyTypes,
  grantableRoles,
  inviteLink,
  projectSlug,
} from '../src/account/roles.js'
import * as loophive from 'loophive'

function memory() {
  const data = new Map<string, string>()
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  }
}

const err = (status: number, code = `http_${status}`, message = 'm', retryAfter: number | null = null) => ({
  status,
  code,
  message,
  retryAfter,
})

describe('account pages (D58–D63)', () => {
  it('when a login succeeds, then the session keys are stored and valid until 30 s before exp (D9)', () => {
    const s = memory()
    const now = Date.parse('2026-02-15T10:00:00Z')
    storeSession(
      s,
      {
        token: 'jwt',
        token_type: 'bearer',
        expires_in: 3600,
        user: { user_id: 'u', name: 'A', email: 'a@x', role: 'owner' },
        tenant: { tenant_id: 't', name: 'Co', slug: 'co' },
      },
      now,
    )
    expect([...s.data.keys()].sort()).toEqual(['hb_tenant', 'hb_token', 'hb_token_exp', 'hb_user'])
    expect(JSON.parse(s.data.get('hb_tenant')!)).toEqual({ tenant_id: 't', name: 'Co', slug: 'co' })
    expect(hasValidSession(s, now + 3_569_000)).toBe(true)
    expect(hasValidSession(s, now + 3_571_000)).toBe(false)
    clearSession(s)
    expect(s.data.size).toBe(0)
  })

  it('slugs are derived as the server does', () => {
    expect(slugify('  NewCo, Inc. ')).toBe('newco-inc')
    expect(slugify('!!!')).toBe('')
    expect(slugify('a'.repeat(60))).toHaveLength(48)
  })

  it('passwords are 6–72 bytes', () => {
    expect(passwordProblem('12345')).not.toBeNull()
    expect(passwordProblem('123456')).toBeNull()
    expect(passwordProblem('é'.repeat(37))).not.toBeNull()
  })

  it('error codes are explained in words', () => {
    expect(loginErrorText(err(401))).toBe('Invalid email or password.')
    expect(loginErrorText(err(429, 'rate_limited', 'm', 12))).toBe('Too many attempts — try again in 12 s')
    expect(loginErrorText(err(0))).toBe("Can't reach HiveBoard")
    expect(accountErrorText(err(409, 'slug_exists'))).toContain('workspace with this name')
    expect(accountErrorText(err(409, 'pending_invite'))).toContain('pending invite')
    expect(accountErrorText(err(409, 'last_owner'))).toContain('at least one active owner')
    expect(accountErrorText(err(409, 'slug_exists'), { slug_exists: 'project' })).toBe('project')
    expect(accountErrorText(err(403, 'insufficient_permissions', 'Read-only API key'))).toBe('Read-only API key')
    expect(acceptInviteErrorText(err(404))).toContain('invalid, expired or already used')
    expect(acceptInviteErrorText(err(409, 'email_exists'))).toContain('sign in')
  })

  it('the SDK snippet carries the key when known and an endpoint line only when not the default (D63)', () => {
    expect(sdkSnippet('hb_live_x', 'https://mlbackend.net/loophive')).toContain("apiKey: 'hb_live_x' })")
    expect(sdkSnippet(null, 'http://localhost:8000')).toContain(
      "apiKey: '<your API key>', endpoint: 'http://localhost:8000'",
    )
    expect(sdkSnippet(null, 'x')).toContain('pip install hiveloop')
  })

  it('the SDK snippet calls a function the loophive package really exports, with the documented options (D63)', () => {
    const snippet = sdkSnippet('hb_live_x', 'http://localhost:8451')
    const imported = /import \{ (\w+) \} from 'loophive'/.exec(snippet)?.[1] ?? ''
    expect(Object.keys(loophive)).toContain(imported)
    expect(snippet).toContain(`const hb = ${imported}({ apiKey: 'hb_live_x', endpoint: 'http://localhost:8451' })`)
    expect(snippet).toContain("hb.agent('my-agent')")
    expect(snippet.startsWith('npm i loophive\n')).toBe(true)
  })

  it('envelope field paths land on the form field of the same name (api.md §1.3, D58)', () => {
    expect(formFieldName('body.email')).toBe('email')
    expect(formFieldName('body.tenant_name')).toBe('tenant_name')
    expect(formFieldName('query.limit')).toBe('limit')
    expect(formFieldName('path.user_id')).toBe('user_id')
    expect(formFieldName('body.settings.theme')).toBe('settings.theme')
    expect(formFieldName('email')).toBe('email')
  })

  it('change-password renews the token and expiry but keeps user and tenant (D9)', () => {
    const s = memory()
    s.setItem('hb_user', JSON.stringify({ user_id: 'u', name: 'A', email: 'a@x', role: 'owner' }))
    storeRenewedToken(s, 'new-jwt', 3600, Date.parse('2026-02-15T10:00:00Z'))
    expect(s.data.get('hb_token')).toBe('new-jwt')
    expect(s.data.get('hb_token_exp')).toBe(String(Date.parse('2026-02-15T11:00:00Z') / 1000))
    expect(readSessionUser(s)?.name).toBe('A')
    s.setItem('hb_user', '<not json>')
    expect(readSessionUser(s)).toBeNull()
  })
})

describe('role matrix on home (api.md §2.4, D62)', () => {
  const me = (role: string) => ({ user_id: 'me', role })
  const user = (role: string, id = 'other', active = true) => ({ user_id: id, role, is_active: active })

  it('viewers write no projects and create read keys only; members write projects but manage no team', () => {
    expect(canWriteProjects(me('viewer'))).toBe(false)
    expect(creatableKeyTypes(me('viewer'))).toEqual(['read'])
    expect(canWriteProjects(me('member'))).toBe(true)
    expect(creatableKeyTypes(me('member'))).toEqual(['live', 'test', 'read'])
    expect(canManageTeam(me('member'))).toBe(false)
    expect(grantableRoles(me('member'))).toEqual([])
  })

  it('owners grant any role; admins only member and viewer, and manage only members and viewers', () => {
    expect(grantableRoles(me('owner'))).toEqual(['owner', 'admin', 'member', 'viewer'])
    expect(grantableRoles(me('admin'))).toEqual(['member', 'viewer'])
    expect(canManageUser(me('owner'), user('admin'))).toBe(true)
    expect(canManageUser(me('admin'), user('admin'))).toBe(false)
    expect(canManageUser(me('admin'), user('owner'))).toBe(false)
    expect(canManageUser(me('admin'), user('viewer'))).toBe(true)
  })

  it('nobody manages themselves (self_deactivation); revoking: own keys, or any as owner/admin, active only', () => {
    expect(canManageUser(me('owner'), user('owner', 'me'))).toBe(false)
    expect(canRevokeKey(me('member'), { created_by_user_id: 'me', is_active: true })).toBe(true)
    expect(canRevokeKey(me('member'), { created_by_user_id: 'other', is_active: true })).toBe(false)
    expect(canRevokeKey(me('admin'), { created_by_user_id: 'other', is_active: true })).toBe(true)
    expect(canRevokeKey(me('owner'), { created_by_user_id: 'me', is_active: false })).toBe(false)
  })

  it('invite links and project slugs are built as the server expects', () => {
    expect(inviteLink('https://hive.example', 'e71d-1')).toBe('https://hive.example/accept-invite.html?token=e71d-1')
    expect(projectSlug('  Support Bots! ')).toBe('support-bots')
    expect(projectSlug('x'.repeat(80))).toHaveLength(64)
  })
})
