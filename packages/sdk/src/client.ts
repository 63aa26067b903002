import { Agent, validateAgent, type AgentOptions } from './agent.js'
import { resolveEndpoint } from './config.js'
import { Log } from './log.js'
import { resolveOptions, type HiveBoardOptions, type ResolvedOptions } from './options.js'
import { ProcessHooks } from './process-hooks.js'
import { NodeHttpSender } from './transport/node-http-sender.js'
import { FetchSender } from './transport/sender.js'
import type { FlushResult, ShutdownResult, Stats } from './transport/stats.js'
import { Transport } from './transport/transport.js'
import { warmHttpClient } from './transport/warm-up.js'

/** A client: its own queue, timers and agent registry. `init()` keeps one as the process singleton. */
export class HiveBoard {
  readonly endpoint: string
  readonly environment: string
  readonly group: string
  readonly log: Log
  readonly transport: Transport
  readonly options: ResolvedOptions
  /** The options as given, to compare repeat init() calls. */
  readonly given: HiveBoardOptions
  private readonly agents = new Map<string, Agent>()
  private readonly unknownTypes = new Set<string>()
  private readonly hooks = new ProcessHooks(this)
  private closing: Promise<ShutdownResult> | undefined

  constructor(options: HiveBoardOptions) {
    this.options = resolveOptions(options)
    this.given = options
    const o = this.options
    this.log = new Log(options.logger, o.debug)
    const resolved = resolveEndpoint({
      option: options.endpoint,
      cwd: options.configPaths?.cwd,
      home: options.configPaths?.home,
      warn: (m) => this.log.warn(m),
    })
    this.endpoint = resolved.endpoint
    this.log.debug(() => `endpoint ${resolved.endpoint} (from ${resolved.source})`)
    if (o.clampedBatch) this.log.warn('batchSize above 500 clamped to 500')
    this.environment = o.environment
    this.group = o.group
    // NOTE: without an injected fetch, node:http keeps a flush's event-loop blocks under 1 ms (README Performance)
    const sender = options.fetch !== undefined ? new FetchSender(options.fetch) : new NodeHttpSender()
    // pays Node's one-time HTTP client cost off the flush path, without network I/O (see warm-up.ts)
    if (sender instanceof NodeHttpSender) void warmHttpClient(this.endpoint, o.compression === 'gzip')
    this.transport = new Transport({
      url: `${this.endpoint}/v1/ingest`,
      apiKey: o.apiKey,
      batchSize: o.batchSize,
      maxQueueSize: o.maxQueueSize,
      maxQueueBytes: o.maxQueueBytes,
      maxBatchBytes: o.maxBatchBytes,
      flushIntervalMs: o.flushIntervalMs,
      requestTimeoutMs: o.requestTimeoutMs,
      maxRetries: o.maxRetries,
      compression: o.compression,
      sender,
      log: this.log,
    })
    this.hooks.install(o)
  }

  get closed(): boolean {
    return this.transport.closed
  }

  /** Registers the agent once (agent_registered + heartbeat); a repeat call returns the same object. */
  agent(id: string, options: AgentOptions = {}): Agent {
    validateAgent(id, options)
    const existing = this.agents.get(id)
    if (existing !== undefined) {
      existing.update(options)
      return existing
    }
    if (this.closed) return new Agent(this, id, options, true)
    const agent = new Agent(this, id, options)
    this.agents.set(id, agent)
    return agent
  }

  getAgent(id: string): Agent | undefined {
    return this.agents.get(id)
  }

  stats(): Stats {
    return this.transport.stats()
  }

  flush(options: { timeoutMs?: number } = {}): Promise<FlushResult> {
    return this.transport.flush(options)
  }

  shutdown(options: { timeoutMs?: number } = {}): Promise<ShutdownResult> {
    this.closing ??= this.stop(options, 'shutdown')
    return this.closing
  }

  /** shutdown() that discards the queue, counted as `reset`. */
  discard(timeoutMs = 0): Promise<ShutdownResult> {
    this.closing ??= this.stop({ timeoutMs }, 'reset')
    return this.closing
  }

  /** @internal */
  warnUnknownType(type: string): void {
    if (this.unknownTypes.has(type)) return
    this.unknownTypes.add(type)
    this.log.warn(`unknown event_type '${type}': the server will reject it; use 'custom' with payload.kind`)
  }

  private stop(options: { timeoutMs?: number }, reason: 'shutdown' | 'reset'): Promise<ShutdownResult> {
    for (const agent of this.agents.values()) agent.stopHeartbeat()
    this.hooks.remove()
    return this.transport.shutdown(options, reason).catch(() => ({ sent: 0, dropped: 0, timedOut: true }))
  }
}
