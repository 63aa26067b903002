/** Session storage and account-page wording (dashboard.md D9, D58–D61). Pure: storage is passed in. */
import type { ApiClient } from '../lib/api.js'
import { API_KEY_STORAGE, validSessionToken, type StorageLike } from '../lib/config.js'

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

/** `POST /v1/auth/login` (D60) and keep the session; rejects with the ApiError, storing nothing. */
export async function signIn(
  api: Pick<ApiClient, 'request'>,
  s: StorageLike,
  body: { email: string; password: string },
): Promise<void> {
  const r = await api.request<LoginResponse>('/v1/auth/login', {}, { method: 'POST', body })
  storeSession(s, r, Date.now())
}

export function clearSession(s: StorageLike): void {
  for (const k of SESSION_KEYS) s.removeItem(k)
}

/** Valid = a token that does not expire within 30 s (D9). */
export function hasValidSession(s: StorageLike, nowMs: number): boolean {
  return validSessionToken(s, nowMs) !== null
}

export interface SessionUser {
  user_id: string
  name: string
  email: string
  role: string
}
export interface SessionTenant {
  tenant_id: string
  name: string
  slug: string
}

function readJson(s: StorageLike, key: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(s.getItem(key) ?? 'null')
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null
  } catch {
    return null
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '')

/** `hb_user` as stored at login; null when missing or not an object (storage is untrusted, D67). */
export function readSessionUser(s: StorageLike): SessionUser | null {
  const u = readJson(s, 'hb_user')
  if (u === null) return null
  return { user_id: str(u.user_id), name: str(u.name), email: str(u.email), role: str(u.role) }
}

export function readSessionTenant(s: StorageLike): SessionTenant | null {
  const t = readJson(s, 'hb_tenant')
  if (t === null) return null
  return { tenant_id: str(t.tenant_id), name: str(t.name), slug: str(t.slug) }
}

/** D9: change-password returns a new token (the old one is dead); keep user and tenant, renew the expiry. */
export function storeRenewedToken(s: StorageLike, token: string, expiresIn: number, nowMs: number): void {
  s.setItem('hb_token', token)
  s.setItem('hb_token_exp', String(Math.floor(nowMs / 1000) + expiresIn))
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
  last_owner: 'The workspace needs at least one active owner — make someone else owner first.',
  role_escalation: 'Only owners can grant the owner or admin role.',
  invite_exists: 'This e-mail already has a pending invite — cancel it first to send a new one.',
  duplicate_email: 'Another user already has this e-mail.',
  self_deactivation: "You can't deactivate yourself.",
  cannot_delete_default: "The default project can't be deleted.",
  cannot_modify_default: "The default project's slug can't be changed or archived.",
  invalid_merge: 'Merge into another, active project (the default project cannot be merged away).',
  project_limit_reached: 'This workspace has reached its project limit.',
  jwt_required: 'Sign in with your e-mail and password for this action (API keys cannot do it).',
}

/** Codes whose meaning differs on the projects section (the same code names a workspace on register). */
export const PROJECT_CODE_TEXT: Record<string, string> = {
  slug_exists: 'Another project already uses this slug — choose another.',
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

/** D58: error codes explained in words; anything else shows the server's own message. */
export function accountErrorText(e: ErrorLike, overrides: Record<string, string> = {}): string {
  if (e.status === 0) return "Can't reach HiveBoard"
  if (e.status === 429) return `Too many requests — try again in ${e.retryAfter ?? 1} s`
  return overrides[e.code] ?? CODE_TEXT[e.code] ?? e.message
}

/**
 * The form field an envelope's `details.fields[].field` names (api.md §1.3: `body.<dotted path>`, `query.<name>`,
 * `path.<name>`): the part after the location prefix, so `body.tenant_name` lands on the `tenant_name` input.
 */
export function formFieldName(apiField: string): string {
  return apiField.replace(/^(body|query|path)\./, '')
}

export function acceptInviteErrorText(e: ErrorLike): string {
  if (e.status === 404) return 'This invite link is invalid, expired or already used.'
  if (e.status === 409 && e.code === 'email_exists') return 'This e-mail already has an account — sign in.'
  return accountErrorText(e)
}

export const REDIRECT_REASONS: Record<string, string> = {
  key_rejected: 'Your API key was rejected — it may have been revoked.',
  session_expired: 'Your session expired.',
  signed_out: 'You are signed out.',
  signed_out_everywhere: 'You are signed out on every device.',
  password_changed: 'Your password was changed — sign in again.',
  // D59 Beyond: register's automatic sign-in failed; the workspace exists, so signing in by hand works.
  register_sign_in_failed: 'Your workspace is ready, but signing you in failed — sign in with your new password.',
}

/** The SDK's own default endpoint (sdk.md §2): no endpoint line is needed when the API is there. */
export const SDK_DEFAULT_ENDPOINT = 'https://mlbackend.net/loophive'
export const KEY_PLACEHOLDER = '<your API key>'

/** D63: the SDK snippet (sdk.md §1 quick start), with the key when this browser knows it. */
export function sdkSnippet(key: string | null, endpoint: string, sdkDefault = SDK_DEFAULT_ENDPOINT): string {
  const endpointOption = endpoint.replace(/\/+$/, '') === sdkDefault ? '' : `, endpoint: '${endpoint}'`
  const lines = [
    'npm i loophive',
    '',
    "import { init } from 'loophive'",
    `const hb = init({ apiKey: '${key ?? KEY_PLACEHOLDER}'${endpointOption} })`,
    "const agent = hb.agent('my-agent')",
    '',
    '# Python: pip install hiveloop',
  ]
  return lines.join('\n')
}
