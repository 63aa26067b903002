import { describe, expect, it } from 'vitest'
import {
  acceptInviteErrorText,
  accountErrorText,
  clearSession,
  hasValidSession,
  loginErrorText,
  passwordProblem,
  sdkSnippet,
  slugify,
  storeSession,
} from '../src/account/session.js'

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
    expect(accountErrorText(err(409, 'last_owner'))).toContain('at least one owner')
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
})
