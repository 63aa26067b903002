import { DEFAULT_PRICING, type PriceEntry } from '@hiveboard/shared'
import type { Clock } from '../../clock.js'
import { iso } from '../../clock.js'
import { AppError } from '../../errors/app-error.js'
import type { PricingOverride } from '../../storage/entities.js'
import type { EntityStore } from '../../storage/storage.js'

export const MAX_OVERRIDES = 500

/** PricingEntry on the wire (api.md §4.0). */
export interface WirePricingEntry {
  model_pattern: string
  provider: string
  input_per_m: number
  output_per_m: number
  cached_input_per_m: number | null
  cache_write_per_m: number | null
  source: 'default' | 'override'
}

export interface PriceInput {
  provider?: string | undefined
  input_per_m?: number | undefined
  output_per_m?: number | undefined
  cached_input_per_m?: number | null | undefined
  cache_write_per_m?: number | null | undefined
}

function toWire(entry: PriceEntry, source: WirePricingEntry['source']): WirePricingEntry {
  return {
    model_pattern: entry.model_pattern,
    provider: entry.provider,
    input_per_m: entry.input_per_m,
    output_per_m: entry.output_per_m,
    cached_input_per_m: entry.cached_input_per_m ?? null,
    cache_write_per_m: entry.cache_write_per_m ?? null,
    source,
  }
}

function byProviderPattern(a: WirePricingEntry, b: WirePricingEntry): number {
  return a.provider.localeCompare(b.provider) || a.model_pattern.localeCompare(b.model_pattern)
}

function builtin(pattern: string): PriceEntry | undefined {
  return DEFAULT_PRICING.find((d) => d.model_pattern === pattern)
}

/** Per-tenant pricing overrides over the read-only built-in table (api.md §4.9, events.md E90–E92). */
export class PricingService {
  constructor(
    private readonly entities: EntityStore,
    private readonly clock: Clock,
  ) {}

  list(tenantId: string, source: 'default' | 'override' | undefined): WirePricingEntry[] {
    const overrides = this.entities.listTenant('pricing', tenantId)
    const replaced = new Set(overrides.map((o) => o.model_pattern))
    const defaults = DEFAULT_PRICING.filter((d) => source === 'default' || !replaced.has(d.model_pattern))
    const out = [
      ...(source === 'default' ? [] : overrides.map((o) => toWire(o, 'override'))),
      ...(source === 'override' ? [] : defaults.map((d) => toWire(d, 'default'))),
    ]
    return out.sort(byProviderPattern)
  }

  async create(
    tenantId: string,
    pattern: string,
    input: Required<Omit<PriceInput, 'cached_input_per_m' | 'cache_write_per_m'>> & PriceInput,
  ): Promise<WirePricingEntry> {
    const now = iso(this.clock.now())
    const entry: PricingOverride = { model_pattern: pattern, ...clean(input), created_at: now, updated_at: now }
    await this.entities.updateTenant('pricing', tenantId, (items) => {
      if (items.some((o) => o.model_pattern === pattern)) {
        throw new AppError('pattern_exists', `A pricing override for '${pattern}' already exists`)
      }
      if (items.length >= MAX_OVERRIDES) {
        throw new AppError('pattern_exists', `At most ${MAX_OVERRIDES} pricing overrides per tenant`)
      }
      return [...items, entry]
    })
    return toWire(entry, 'override')
  }

  async update(tenantId: string, pattern: string, input: PriceInput): Promise<WirePricingEntry> {
    const now = iso(this.clock.now())
    let result: PricingOverride | undefined
    await this.entities.updateTenant('pricing', tenantId, (items) => {
      const known = items.find((o) => o.model_pattern === pattern)
      const base = known ?? builtin(pattern)
      if (base === undefined) throw new AppError('not_found', 'Pricing entry not found')
      result = {
        ...clean({ ...base, ...definedOnly(input) }),
        model_pattern: pattern,
        created_at: known?.created_at ?? now,
        updated_at: now,
      }
      return [...items.filter((o) => o !== known), result]
    })
    return toWire(result as PricingOverride, 'override')
  }

  async remove(
    tenantId: string,
    pattern: string,
  ): Promise<{ status: 'deleted'; model_pattern: string; reverted_to_default: boolean }> {
    await this.entities.updateTenant('pricing', tenantId, (items) => {
      if (!items.some((o) => o.model_pattern === pattern)) {
        if (builtin(pattern) !== undefined) throw new AppError('builtin_pricing', 'Built-in pricing cannot be deleted')
        throw new AppError('not_found', 'Pricing entry not found')
      }
      return items.filter((o) => o.model_pattern !== pattern)
    })
    return { status: 'deleted', model_pattern: pattern, reverted_to_default: builtin(pattern) !== undefined }
  }
}

function definedOnly(input: PriceInput): PriceInput {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined))
}

function clean(input: PriceInput): Omit<PriceEntry, 'model_pattern'> {
  return {
    provider: input.provider ?? '',
    input_per_m: input.input_per_m as number,
    output_per_m: input.output_per_m as number,
    cached_input_per_m: input.cached_input_per_m ?? null,
    cache_write_per_m: input.cache_write_per_m ?? null,
  }
}
