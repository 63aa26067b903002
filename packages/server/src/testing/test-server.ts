import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiKeyType } from '@hiveboard/shared'
import { ManualClock, type Clock } from '../clock.js'
import { iso } from '../clock.js'
import { testConfig, type Config } from '../config.js'
import { silentLogger, type Logger } from '../logger.js'
import type { Broadcaster } from '../realtime/broadcaster.js'
import { createBroadcaster } from '../realtime/create-broadcaster.js'
import { RecordingBroadcaster } from '../realtime/recording-broadcaster.js'
import { startServer, type RunningServer } from '../server.js'
import { JsonFileStorage } from '../storage/json-file/json-file-storage.js'
import type { EntityStore } from '../storage/storage.js'
import { buildApiKey, generateApiKey } from '../domains/keys/api-keys.js'
import type { IpLimits } from '../domains/auth/auth.routes.js'
import { bootstrapLocal, DEV_TENANT_ID, ensureDefaultProject } from '../domains/tenants/bootstrap.js'

export interface TenantKeys {
  tenantId: string
  live: string
  test: string
  read: string
}

export interface TestServerOptions {
  /** Defaults to a ManualClock at 2026-02-15T10:00:00Z. */
  clock?: Clock
  config?: Partial<Record<keyof Config, unknown>>
  /** Reuse a folder (restart tests); otherwise a fresh temporary one, removed at close. */
  dataDir?: string
  broadcaster?: Broadcaster
  /**
   * Serve `/v1/stream` with the local WebSocket broadcaster, chosen as `main` chooses it (realtime.md R5), instead
   * of the default RecordingBroadcaster; for browser tests of the live dashboard. Ignored when `broadcaster` is given.
   */
  liveStream?: boolean
  logger?: Logger
  /** Alert webhook retry waits (default 10 s, 60 s). */
  webhookRetryDelaysMs?: readonly number[]
  /** Per-IP limits of the public auth routes; unlimited unless a test is about them. */
  ipLimits?: IpLimits
  /** The bootstrap live key; reuse it with `dataDir` so a restarted server accepts the same token. */
  devKey?: string
}

export interface TestServer {
  url: string
  dataDir: string
  clock: Clock
  storage: JsonFileStorage
  broadcaster: Broadcaster
  recorder: RecordingBroadcaster | undefined
  running: RunningServer
  /** The `dev` tenant's keys: live (bootstrap key), test and read. */
  keys: TenantKeys
  /** Fetch a `/v1/...` path with a bearer key (default: the live key). */
  get(path: string, key?: string): Promise<Response>
  post(path: string, body: unknown, key?: string): Promise<Response>
  /** `ws://…/v1/stream?token=<key>` (token omitted when `null`; default: the live key). */
  wsUrl(key?: string | null): string
  close(options?: { keepData?: boolean }): Promise<void>
}

/** Adds one API key of each type (no creator) to a tenant, creating the tenant if needed. */
export async function addTenant(entities: EntityStore, tenantId: string, now: string): Promise<TenantKeys> {
  await entities.update('tenants', (tenants) =>
    tenants.some((t) => t.tenant_id === tenantId)
      ? null
      : [
          ...tenants,
          { tenant_id: tenantId, name: tenantId, slug: tenantId, plan: 'free', created_at: now, updated_at: now },
        ],
  )
  await ensureDefaultProject(entities, tenantId, now)
  const make = (type: ApiKeyType) =>
    buildApiKey({ tenantId, type, label: `test ${type}`, createdByUserId: null, nowIso: now })
  const keys = { live: make('live'), test: make('test'), read: make('read') }
  await entities.update('api_keys', (items) => [...items, keys.live.record, keys.test.record, keys.read.record])
  return { tenantId, live: keys.live.raw, test: keys.test.raw, read: keys.read.raw }
}

/** A real server on an ephemeral port over a real JsonFileStorage in a temporary folder (conventions §10). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const clock = options.clock ?? new ManualClock('2026-02-15T10:00:00Z')
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hb-test-'))
  const devKey = options.devKey ?? generateApiKey('live')
  const config = testConfig({
    port: 0,
    data_dir: dataDir,
    dev_key: devKey,
    rate_limit_ingest_per_second: 1_000_000,
    rate_limit_query_per_second: 1_000_000,
    ...options.config,
  })
  const logger = options.logger ?? silentLogger()
  const storage = new JsonFileStorage({ dataDir, logger, rollupRetentionDays: config.rollup_retention_days })
  await storage.open()
  await bootstrapLocal(storage.entities, config, clock, logger)
  const extra = await addTenant(storage.entities, DEV_TENANT_ID, iso(clock.now()))
  const chosen =
    options.broadcaster ?? (options.liveStream === true ? createBroadcaster(config, logger, clock) : undefined)
  const recorder = chosen === undefined ? new RecordingBroadcaster() : undefined
  const broadcaster: Broadcaster = chosen ?? (recorder as RecordingBroadcaster)
  const ipLimits = options.ipLimits ?? { authPerMinute: 1_000_000, checkSlugPerMinute: 1_000_000 }
  const running = await startServer({ config, storage, broadcaster, clock, logger, ipLimits, ...retryDelays(options) })
  const keys: TenantKeys = { tenantId: DEV_TENANT_ID, live: config.dev_key, test: extra.test, read: extra.read }
  const auth = (key: string | undefined) => ({ authorization: `Bearer ${key ?? keys.live}` })
  return {
    url: running.url,
    dataDir,
    clock,
    storage,
    broadcaster,
    recorder,
    running,
    keys,
    get: (path, key) => fetch(running.url + path, { headers: auth(key) }),
    post: (path, body, key) =>
      fetch(running.url + path, {
        method: 'POST',
        headers: { ...auth(key), 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    wsUrl: (key) =>
      `${running.url.replace(/^http/, 'ws')}/v1/stream${key === null ? '' : `?token=${encodeURIComponent(key ?? keys.live)}`}`,
    async close(closeOptions) {
      await running.close()
      if (options.dataDir === undefined && closeOptions?.keepData !== true)
        rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function retryDelays(options: TestServerOptions): { webhookRetryDelaysMs?: readonly number[] } {
  return options.webhookRetryDelaysMs === undefined ? {} : { webhookRetryDelaysMs: options.webhookRetryDelaysMs }
}
