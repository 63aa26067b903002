/** Session storage and account-page wording (dashboard.md D9, D58–D61). Pure: storage is passed in. */
import { API_KEY_STORAGE, type StorageLike } from '../lib/config.js'

export interface LoginResponse {
  token: string
  token_type: 'bearer'
  expires_in: number
  user: { user_id: string; name: string; email: string; role: string }
  tenant: { tenant_id: string; name: string; slug: string }
}

export const SESSION_KEYS = ['hb_token', 'hb_user', 'hb_tenant', 'hb_token_exp'] as const

export function storeSession(s: StorageLike, r: LoginResponse, nowMs: number): void {
  s.setItem('hb_token', r.token)
  s.setItem('hb_user', JSON.stringify(r.user))
  s.setItem('hb_tenant', JSON.stringify({ tenant_id: r.tenant.tenant_id, name: r.tenant.name, slug: r.tenant.slug }))
  s.setItem('hb_token_exp', String(Math.floor(nowMs / 1000) + r.expires_in))
}

export function clearSession(s: StorageLike): void {
  for (const k of SESSION_KEYS) s.removeItem(k)
}

/** Valid = a token that does not expire within 30 s (D9). */
export function hasValidSession(s: StorageLike, nowMs: number): boolean {
  const token = s.getItem('hb_token')
  const exp = Number(s.getItem('hb_token_exp'))
  return token !== null && token !== '' && Number.isFinite(exp) && exp * 1000 - 30_000 > nowMs
}

export function storeApiKey(s: StorageLike, key: string): void {
  s.setItem(API_KEY_STORAGE, key)
}

/** Slug as the server derives it (api.md §4.12): lower-case, non-[a-z0-9] runs → '-', trimmed, ≤ 48. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '')
}

export function passwordProblem(password: string): string | null {
  const bytes = new TextEncoder().encode(password).length
  if (bytes < 6) return 'Use at least 6 characters.'
  if (bytes > 72) return 'Use at most 72 bytes.'
  return null
}

const CODE_TEXT: Record<string, string> = {
  email_exists: 'This e-mail already has an account — sign in instead.',
  pending_invite: 'This e-mail has a pending invite — accept it from the invite link.',
  slug_exists: 'A workspace with this name already exists — choose another name.',
  last_owner: 'The workspace needs at least one owner.',
  role_escalation: 'Admins can only invite members and viewers.',
  invite_exists: 'This e-mail already has a pending invite.',
  duplicate_email: 'Another user already has this e-mail.',
}

export interface ErrorLike {
  status: number
  code: string
  message: string
  retryAfter: number | null
}

/** Wording per page (D59–D61). */
export function loginErrorText(e: ErrorLike): string {
  if (e.status === 401) return 'Invalid email or password.'
  if (e.status === 429) return `Too many attempts — try again in ${e.retryAfter ?? 60} s`
  if (e.status === 0) return "Can't reach HiveBoard"
  return e.message
}

export function accountErrorText(e: ErrorLike): string {
  if (e.status === 0) return "Can't reach HiveBoard"
  return CODE_TEXT[e.code] ?? e.message
}

export function acceptInviteErrorText(e: ErrorLike): string {
  if (e.status === 404) return 'This invite link is invalid, expired or already used.'
  if (e.status === 409 && e.code === 'email_exists') return 'This e-mail already has an account — sign in.'
  return accountErrorText(e)
}

export const REDIRECT_REASONS: Record<string, string> = {
  key_rejected: 'Your API key was rejected — it may have been revoked.',
  session_expired: 'Your session expired.',
}

/** D63: the SDK snippet, with the key when known. */
export function sdkSnippet(
  key: string | null,
  endpoint: string,
  sdkDefault = 'https://mlbackend.net/loophive',
): string {
  const lines = [
    'npm i loophive',
    '',
    "import { HiveLoop } from 'loophive'",
    `const hive = new HiveLoop({ apiKey: '${key ?? '<your API key>'}'${endpoint === sdkDefault ? '' : `, endpoint: '${endpoint}'`} })`,
    "const agent = hive.agent('my-agent')",
    '',
    '# Python: pip install hiveloop',
  ]
  return lines.join('\n')
}
