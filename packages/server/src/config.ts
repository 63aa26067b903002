import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { z } from 'zod'

const intIn = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')])
const retention = z.union([
  z.coerce.number().int().min(0).max(3650),
  z.record(z.string(), z.coerce.number().int().min(1).max(3650)),
])

/** Every configuration key of api.md §3, realtime.md and events.md, with its default. */
const ConfigSchema = z.object({
  mode: z.enum(['local', 'production']).default('local'),
  host: z.string().min(1).default('127.0.0.1'),
  port: intIn(0, 65535).default(8451),
  data_dir: z.string().min(1).default('data'),
  jwt_secret: z.string().default(''),
  jwt_expiry: intIn(1, 604_800).default(3600),
  dev_key: z.string().default(''),
  dev_password: z.string().default(''),
  ws_gateway_endpoint: z.string().default(''),
  ws_gateway_region: z.string().min(1).default('us-east-1'),
  ws_bridge_secret: z.string().default(''),
  trust_proxy: bool.default(false),
  max_body_bytes: intIn(1024, 100 * 1024 * 1024).default(5_242_880),
  max_projects: intIn(1, 100_000).default(50),
  stuck_threshold_seconds: intIn(10, 86_400).default(300),
  stuck_check_interval_seconds: intIn(1, 3600).default(15),
  alert_eval_interval_seconds: intIn(1, 3600).default(30),
  retention_days: retention.default(0),
  prune_interval_seconds: intIn(1, 86_400).default(300),
  checkpoint_interval_seconds: intIn(1, 3600).default(10),
  rollup_retention_days: intIn(1, 3650).default(90),
  rate_limit_ingest_per_second: intIn(1, 1_000_000).default(100),
  rate_limit_query_per_second: intIn(1, 1_000_000).default(30),
  ws_max_connections_per_key: intIn(1, 10_000).default(5),
  ws_ping_interval_seconds: intIn(1, 3600).default(30),
  ws_max_buffered_bytes: intIn(1024, 1 << 30).default(1_048_576),
  ws_push_concurrency: intIn(1, 1024).default(16),
  ws_push_queue_per_connection: intIn(1, 100_000).default(256),
  dashboard_dir: z.string().min(1).default('packages/dashboard/dist'),
  webhook_timeout_ms: intIn(100, 120_000).default(5000),
  webhook_allow_private: bool.default(false),
  log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Config = Readonly<z.infer<typeof ConfigSchema>>
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as Array<keyof Config>

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
  }
}

export interface LoadConfigOptions {
  env: Record<string, string | undefined>
  /** Folder that holds config.json and against which relative paths resolve (the repo root). */
  baseDir: string
}

export interface LoadedConfig {
  config: Config
  /** The config file used, or null. */
  source: string | null
  warnings: string[]
}

function readConfigFile(path: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new ConfigError([`${path}: not readable JSON (${(error as Error).message})`])
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([`${path}: must hold a JSON object`])
  }
  return parsed as Record<string, unknown>
}

function envValue(key: string, raw: string): unknown {
  // An object-valued key (retention_days per plan) may come from the environment as JSON.
  return key === 'retention_days' && raw.trim().startsWith('{') ? (JSON.parse(raw) as unknown) : raw
}

/** config.json, then HIVEBOARD_<KEY>, then the default (api.md §3); every bad key reported at once. */
export function loadConfig({ env, baseDir }: LoadConfigOptions): LoadedConfig {
  const explicit = env['HIVEBOARD_CONFIG']
  // NOTE: HIVEBOARD_CONFIG="" means "no config file", so tests and benchmarks are not affected by a local one.
  const path = explicit === '' ? null : resolve(baseDir, explicit ?? 'config.json')
  if (explicit !== undefined && explicit !== '' && path !== null && !existsSync(path)) {
    throw new ConfigError([`HIVEBOARD_CONFIG: file not found: ${path}`])
  }
  const fromFile = path !== null && existsSync(path) ? readConfigFile(path) : {}
  const warnings = Object.keys(fromFile)
    .filter((key) => !(CONFIG_KEYS as string[]).includes(key) && !key.startsWith('_'))
    .map((key) => `unknown config key "${key}" ignored`)
  const merged: Record<string, unknown> = {}
  for (const key of CONFIG_KEYS) {
    const envRaw = env[`HIVEBOARD_${key.toUpperCase()}`]
    if (fromFile[key] !== undefined) merged[key] = fromFile[key]
    else if (envRaw !== undefined && envRaw !== '') merged[key] = envValue(key, envRaw)
  }
  const config = parseConfig(merged, baseDir)
  return { config, source: path !== null && existsSync(path) ? path : null, warnings }
}

/** Validates raw values (tests pass overrides here) and applies the production refusals. */
export function parseConfig(raw: Record<string, unknown>, baseDir: string): Config {
  const result = ConfigSchema.safeParse(raw)
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`))
  }
  const config = result.data
  const problems = productionProblems(config)
  if (problems.length > 0) throw new ConfigError(problems)
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p))
  return Object.freeze({
    ...config,
    data_dir: absolute(config.data_dir),
    dashboard_dir: absolute(config.dashboard_dir),
  })
}

const PLACEHOLDER = /change|example|secret|placeholder|default|your[-_]/i

/** api.md §3 and §5.2: production refuses weak secrets and local bootstrap credentials. */
function productionProblems(config: z.infer<typeof ConfigSchema>): string[] {
  if (config.mode !== 'production') return []
  const problems: string[] = []
  const secret = config.jwt_secret
  if (secret.length < 32 || new Set(secret).size < 10 || PLACEHOLDER.test(secret)) {
    problems.push('jwt_secret: production needs at least 32 characters, 10 distinct, and not a placeholder')
  }
  if (config.dev_key !== '') problems.push('dev_key: must not be set in production')
  if (config.dev_password !== '') problems.push('dev_password: must not be set in production')
  if (config.ws_gateway_endpoint !== '' && !config.ws_gateway_endpoint.startsWith('https://')) {
    problems.push('ws_gateway_endpoint: must be an https:// URL in production')
  }
  if (config.ws_bridge_secret !== '' && config.ws_bridge_secret.length < 32) {
    problems.push('ws_bridge_secret: must be at least 32 characters')
  }
  return problems
}

/** A config for tests: defaults plus overrides, never the environment or a file. */
export function testConfig(overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  return parseConfig({ log_level: 'silent', ...overrides }, process.cwd())
}
