import { codePointLength, truncateCodePoints } from '@hiveboard/shared'
import { safeStringify } from './serialize.js'

export interface ToolPayloadOptions {
  args?: unknown
  result?: unknown
  success?: boolean | undefined
  error?: string | undefined
  durationMs?: number | undefined
  toolCategory?: string | undefined
  httpStatus?: number | undefined
  resultSizeBytes?: number | undefined
  argsMaxLen?: number | undefined
  resultMaxLen?: number | undefined
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value
  return safeStringify(value) ?? String(value)
}

/** A payload for tool actions (sdk.md §3.9). Never throws. */
export function toolPayload(o: ToolPayloadOptions = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { success: o.success ?? true }
  try {
    if (o.args !== undefined && o.args !== null) {
      const text = asText(o.args)
      const max = o.argsMaxLen ?? 500
      out['args'] = codePointLength(text) > max ? truncateCodePoints(text, max) : o.args
    }
    if (o.result !== undefined && o.result !== null)
      out['result'] = truncateCodePoints(asText(o.result), o.resultMaxLen ?? 1000)
    if (o.error != null) out['error'] = o.error
    if (o.durationMs != null) out['duration_ms'] = o.durationMs
    if (o.toolCategory != null) out['tool_category'] = o.toolCategory
    if (o.httpStatus != null) out['http_status'] = o.httpStatus
    if (o.resultSizeBytes != null) out['result_size_bytes'] = o.resultSizeBytes
  } catch {
    // odd input: keep what was built
  }
  return out
}
