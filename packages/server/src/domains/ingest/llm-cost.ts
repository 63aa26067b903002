import { estimateCost, matchPrice, type JsonObject, type PriceEntry } from '@hiveboard/shared'
import type { EventWarning } from './validate-event.js'

const TOKEN_FIELDS = ['tokens_in', 'tokens_out', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens'] as const

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A valid token count (fractions floored), or undefined when absent or invalid. */
function tokens(data: Record<string, unknown>, field: string, warnings: EventWarning[]): number | undefined {
  const value = data[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    warnings.push({ code: 'invalid_tokens', message: `data.${field} must be a non-negative number` })
    return undefined
  }
  const whole = Math.floor(value)
  if (whole !== value) data[field] = whole
  return whole
}

/**
 * Adds `cost_source` and `cost_model_matched` to an llm_call payload and estimates a missing cost from the
 * tenant's effective pricing (events.md E93–E94). Mutates the payload, which the request owns.
 */
export function enrichLlmCall(payload: JsonObject, pricing: readonly PriceEntry[], warnings: EventWarning[]): void {
  const data = payload['data']
  if (payload['kind'] !== 'llm_call' || !isObject(data)) return
  const counts: Partial<Record<(typeof TOKEN_FIELDS)[number], number>> = {}
  for (const field of TOKEN_FIELDS) {
    const n = tokens(data, field, warnings)
    if (n !== undefined) counts[field] = n
  }
  const cacheRead = counts.cache_read_tokens ?? 0
  const cacheWrite = counts.cache_write_tokens ?? 0
  if (cacheRead + cacheWrite > (counts.tokens_in ?? 0)) {
    counts.tokens_in = cacheRead + cacheWrite
    data['tokens_in'] = counts.tokens_in
    warnings.push({
      code: 'cache_tokens_exceed_input',
      message: 'cache_read_tokens + cache_write_tokens exceed tokens_in; tokens_in raised to their sum',
    })
  }
  const cost = data['cost']
  const validCost = typeof cost === 'number' && Number.isFinite(cost) && cost >= 0
  if (cost !== undefined && cost !== null && !validCost) {
    warnings.push({ code: 'invalid_cost', message: 'data.cost must be a non-negative number' })
  }
  data['cost_model_matched'] = null
  if (validCost && cost > 0) {
    data['cost_source'] = 'reported'
    return
  }
  const model = data['model']
  const price = typeof model === 'string' ? matchPrice(model, pricing) : undefined
  const tokensIn = counts.tokens_in ?? 0
  const tokensOut = counts.tokens_out ?? 0
  if (price !== undefined && tokensIn + tokensOut > 0) {
    data['cost'] = estimateCost(price, {
      tokensIn,
      tokensOut,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
    })
    data['cost_source'] = 'estimated'
    data['cost_model_matched'] = price.model_pattern
    return
  }
  data['cost_source'] = null
}
