/** Stable error codes of api.md §1.3, each with its one HTTP status. */
export const STATUS_BY_CODE = {
  invalid_json: 400,
  validation_error: 400,
  invalid_cursor: 400,
  cannot_delete_default: 400,
  cannot_modify_default: 400,
  invalid_merge: 400,
  self_deactivation: 400,
  builtin_pricing: 400,
  authentication_failed: 401,
  insufficient_permissions: 403,
  role_escalation: 403,
  jwt_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  slug_exists: 409,
  email_exists: 409,
  duplicate_email: 409,
  pending_invite: 409,
  invite_exists: 409,
  last_owner: 409,
  project_limit_reached: 409,
  pattern_exists: 409,
  body_too_large: 413,
  too_many_events: 413,
  unsupported_media_type: 415,
  upgrade_required: 426,
  rate_limit_exceeded: 429,
  internal_error: 500,
  bridge_inactive: 501,
  stream_inactive: 501,
  not_ready: 503,
  storage_unavailable: 503,
} as const

export type ErrorCode = keyof typeof STATUS_BY_CODE

export interface FieldIssue {
  field: string
  message: string
}

export type ErrorDetails = Record<string, unknown>

export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'AppError'
    this.status = STATUS_BY_CODE[code]
  }
}

export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`)
}

export function validationError(fields: FieldIssue[], message = 'Request validation failed'): AppError {
  return new AppError('validation_error', message, { fields })
}

export function fieldError(field: string, message: string): AppError {
  return validationError([{ field, message }])
}

export function storageUnavailable(cause?: unknown): AppError {
  return new AppError('storage_unavailable', 'Storage is unavailable; nothing was stored', undefined, { cause })
}
