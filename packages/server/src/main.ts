#!/usr/bin/env node
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { systemClock } from './clock.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './logger.js'
import { bootstrapLocal } from './domains/tenants/bootstrap.js'
import { createBroadcaster } from './realtime/create-broadcaster.js'
import { startServer } from './server.js'
import { JsonFileStorage } from './storage/json-file/json-file-storage.js'

/** The only composition root: config, storage, broadcaster, server, signals. */
async function main(): Promise<void> {
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
  let loaded
  try {
    loaded = loadConfig({ env: process.env, baseDir: repoRoot })
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
  const { config } = loaded
  const logger = createLogger(config.log_level)
  for (const warning of loaded.warnings) logger.warn(warning)
  logger.info({ config: loaded.source ?? '(environment and defaults)', mode: config.mode }, 'configuration loaded')
  const started = performance.now()
  const storage = new JsonFileStorage({
    dataDir: config.data_dir,
    logger,
    rollupRetentionDays: config.rollup_retention_days,
  })
  try {
    await storage.open()
    await bootstrapLocal(storage.entities, config, systemClock, logger)
  } catch (error) {
    logger.fatal({ err: error }, `cannot start: ${(error as Error).message}`)
    await storage.close().catch(() => undefined)
    process.exit(1)
  }
  // The AWS SDK (bridge mode) warns about Node versions at client creation; the supported runtime is pinned.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'
  const broadcaster = createBroadcaster(config, logger, systemClock)
  const running = await startServer({ config, storage, broadcaster, clock: systemClock, logger })
  const readyMs = Math.round(performance.now() - started)
  logger.info({ url: running.url, ready_ms: readyMs }, `HiveBoard listening on ${running.url}`)
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down')
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

void main()
