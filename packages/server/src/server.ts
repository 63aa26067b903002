import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createApp, type AppDeps, type HiveApp } from './app.js'

export interface RunningServer {
  url: string
  port: number
  app: HiveApp
  server: Server
  /** Stops accepting, stops timers, closes the broadcaster, then HTTP, then flushes storage. Idempotent. */
  close(): Promise<void>
}

/** Owns everything with a lifetime: the HTTP server and the background timers (conventions §6). */
export async function startServer(deps: AppDeps): Promise<RunningServer> {
  const app = createApp(deps)
  const { config, logger } = deps
  // E120/E137: prune once after loading, before serving and before statuses are published.
  await app.services.retention.runLogged()
  app.services.agents.initialise()
  const server = createServer(app)
  server.keepAliveTimeout = 65_000
  // The broadcaster serves WebSocket upgrades (local) or refuses them (bridge) on this server.
  deps.broadcaster.attach?.({ server, context: app.services.stream })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const detector = setInterval(() => {
    try {
      app.services.agents.detectStuck()
    } catch (error) {
      logger.error({ err: error }, 'stuck detector failed')
    }
  }, config.stuck_check_interval_seconds * 1000)
  detector.unref()
  const alertTimer = setInterval(
    () => void app.services.alerts.evaluator.evaluateAll(),
    config.alert_eval_interval_seconds * 1000,
  )
  alertTimer.unref()
  const pruner = setInterval(() => void app.services.retention.runLogged(), config.prune_interval_seconds * 1000)
  pruner.unref()
  // E133: derived files (rollup days) are checkpointed on their own timer, through the single writer.
  const checkpointer = setInterval(() => {
    deps.storage.checkpoint().catch((error: unknown) => logger.error({ err: error }, 'checkpoint failed'))
  }, config.checkpoint_interval_seconds * 1000)
  checkpointer.unref()
  app.services.backgroundJobs.running = true
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    server,
    close() {
      closing ??= (async () => {
        clearInterval(detector)
        clearInterval(alertTimer)
        clearInterval(pruner)
        clearInterval(checkpointer)
        app.services.backgroundJobs.running = false
        await deps.broadcaster.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
          setTimeout(() => server.closeAllConnections(), 2000).unref()
        })
        await app.services.alerts.close()
        await deps.storage.close()
      })()
      return closing
    },
  }
}
