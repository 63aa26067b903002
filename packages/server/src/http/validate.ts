import type { z } from 'zod'
import { validationError } from '../errors/app-error.js'

/** Parses a request body with a zod schema; issues become `body.<dotted path>` fields (api.md §1.3). */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body ?? {})
  if (result.success) return result.data
  throw validationError(
    result.error.issues.map((issue) => ({
      field: ['body', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  )
}

/** A path parameter, percent-decoded by Express. */
export function pathParam(params: Record<string, string | string[] | undefined>, name: string): string {
  const value = params[name]
  return Array.isArray(value) ? value.join('/') : (value ?? '')
}
