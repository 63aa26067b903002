/** Prices (USD per 1M tokens) equal to the server's built-in table, so reported and estimated costs agree. */
export const MODEL_PRICES = {
  'gpt-4o': { inputPerM: 2.5, outputPerM: 10 },
  'gpt-4o-mini': { inputPerM: 0.15, outputPerM: 0.6 },
  'claude-sonnet-4-20250514': { inputPerM: 3, outputPerM: 15 },
  'claude-3-5-haiku-20241022': { inputPerM: 0.8, outputPerM: 4 },
  'gemini-2.0-flash': { inputPerM: 0.1, outputPerM: 0.4 },
} as const

export type ModelName = keyof typeof MODEL_PRICES

/** What the provider's bill would say, rounded to 6 decimals like the server. */
export function costOf(model: ModelName, tokensIn: number, tokensOut: number): number {
  const price = MODEL_PRICES[model]
  return Math.round(((tokensIn * price.inputPerM + tokensOut * price.outputPerM) / 1e6) * 1e6) / 1e6
}

/** A plausible latency for a call: time to first token plus generation speed. */
export function latencyMs(model: ModelName, tokensOut: number): number {
  const perToken = model.includes('mini') || model.includes('flash') || model.includes('haiku') ? 6 : 14
  return 350 + tokensOut * perToken
}
