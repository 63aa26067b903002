import { round6 } from './text.js'

export interface PriceEntry {
  model_pattern: string
  provider: string
  input_per_m: number
  output_per_m: number
  cached_input_per_m?: number | null
  cache_write_per_m?: number | null
}

const table: Array<[provider: string, pattern: string, inputPerM: number, outputPerM: number]> = [
  ['anthropic', 'claude-opus-4', 15, 75],
  ['anthropic', 'claude-sonnet-4', 3, 15],
  ['anthropic', 'claude-sonnet-4-5', 3, 15],
  ['anthropic', 'claude-haiku-4-5', 0.8, 4],
  ['anthropic', 'claude-3-7-sonnet', 3, 15],
  ['anthropic', 'claude-3-5-sonnet', 3, 15],
  ['anthropic', 'claude-3-5-haiku', 0.8, 4],
  ['anthropic', 'claude-3-opus', 15, 75],
  ['anthropic', 'claude-3-haiku', 0.25, 1.25],
  ['openai', 'gpt-4o', 2.5, 10],
  ['openai', 'gpt-4o-mini', 0.15, 0.6],
  ['openai', 'gpt-4-turbo', 10, 30],
  ['openai', 'gpt-4', 30, 60],
  ['openai', 'o1', 15, 60],
  ['openai', 'o3-mini', 1.1, 4.4],
  ['google', 'gemini-2.0-flash', 0.1, 0.4],
  ['google', 'gemini-1.5-pro', 1.25, 5],
  ['google', 'gemini-1.5-flash', 0.075, 0.3],
  ['mistral', 'mistral-large', 2, 6],
  ['mistral', 'mistral-small', 0.2, 0.6],
  ['mistral', 'codestral', 0.3, 0.9],
  ['meta', 'llama-3.1-405b', 3, 3],
  ['meta', 'llama-3.1-70b', 0.9, 0.9],
  ['meta', 'llama-3.1-8b', 0.1, 0.1],
]

/** The read-only built-in table of events.md E90 (USD per 1M tokens). */
export const DEFAULT_PRICING: readonly PriceEntry[] = Object.freeze(
  table.map(([provider, model_pattern, input_per_m, output_per_m]) =>
    Object.freeze({ model_pattern, provider, input_per_m, output_per_m }),
  ),
)

/** A tenant's effective table: its overrides, then the built-ins they do not replace (E91). */
export function effectivePricing(overrides: readonly PriceEntry[]): PriceEntry[] {
  const replaced = new Set(overrides.map((o) => o.model_pattern.toLowerCase()))
  return [...overrides, ...DEFAULT_PRICING.filter((d) => !replaced.has(d.model_pattern))]
}

function matchIn(model: string, entries: readonly PriceEntry[]): PriceEntry | undefined {
  let best: PriceEntry | undefined
  for (const entry of entries) {
    const pattern = entry.model_pattern.toLowerCase()
    if (pattern === model) return entry
    if (model.startsWith(pattern) && (best === undefined || pattern.length > best.model_pattern.length)) best = entry
  }
  return best
}

/** Exact, then longest prefix; then the same on the part after the last `/` (events.md E92). */
export function matchPrice(model: string, entries: readonly PriceEntry[]): PriceEntry | undefined {
  const normalised = model.trim().toLowerCase()
  if (normalised === '') return undefined
  const direct = matchIn(normalised, entries)
  if (direct !== undefined) return direct
  const slash = normalised.lastIndexOf('/')
  return slash >= 0 ? matchIn(normalised.slice(slash + 1), entries) : undefined
}

export interface TokenCounts {
  tokensIn: number
  tokensOut: number
  cacheReadTokens?: number
  cacheWriteTokens?: number
}

/** USD cost of one call (events.md E93): cached tokens are a subset of input and priced once. */
export function estimateCost(price: PriceEntry, tokens: TokenCounts): number {
  const cacheRead = tokens.cacheReadTokens ?? 0
  const cacheWrite = tokens.cacheWriteTokens ?? 0
  const plainIn = Math.max(0, tokens.tokensIn - cacheRead - cacheWrite)
  const micros =
    plainIn * price.input_per_m +
    cacheRead * (price.cached_input_per_m ?? price.input_per_m) +
    cacheWrite * (price.cache_write_per_m ?? price.input_per_m) +
    tokens.tokensOut * price.output_per_m
  return round6(micros / 1e6)
}
