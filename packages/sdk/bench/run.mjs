// loophive benchmark (sdk.md §7): enqueue cost and the longest event-loop block during a flush.
// Run with `pnpm bench` (builds nothing: run `pnpm build` first). Writes bench-results/sdk.json at the repo root.
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { HiveBoard } from '../dist/index.js'
import { transportHooks } from '../dist/internal.js'

const KEY = 'hb_live_bench000000000000000000'
const WARMUP = 10_000
const CALLS = 200_000
const GROUP = 100

const okFetch = () =>
  Promise.resolve(new Response('{"accepted":0,"rejected":0,"duplicates":0,"errors":[],"warnings":[]}', { status: 200 }))

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

/** Times `fn` per call in groups of GROUP, after a warm-up; yields between blocks so drains run untimed. */
async function timeCalls(fn) {
  for (let i = 0; i < WARMUP; i++) fn(i)
  await new Promise((r) => setImmediate(r))
  const perCall = []
  for (let g = 0; g < CALLS / GROUP; g++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < GROUP; i++) fn(i)
    perCall.push(Number(process.hrtime.bigint() - start) / 1000 / GROUP)
    if (g % 100 === 99) await new Promise((r) => setImmediate(r))
  }
  perCall.sort((a, b) => a - b)
  return { median_us: +percentile(perCall, 50).toFixed(3), p99_us: +percentile(perCall, 99).toFixed(3) }
}

async function enqueueBench() {
  const hb = new HiveBoard({
    apiKey: KEY,
    endpoint: 'http://127.0.0.1:9',
    fetch: okFetch,
    maxQueueSize: 1_000_000,
    maxQueueBytes: 1024 * 1024 * 1024,
    batchSize: 500,
    logger: false,
  })
  const agent = hb.agent('bench-agent', { heartbeatIntervalMs: 0 })
  const task = agent.startTask('bench-task', { project: 'bench', type: 'bench' })
  const llm = await timeCalls((i) =>
    task.llmCall('draft_reply', 'claude-sonnet-4-20250514', {
      tokensIn: 1200 + i,
      tokensOut: 350,
      cost: 0.008,
      durationMs: 2100,
      promptPreview: 'Summarise the customer ticket about a double charge on the November invoice and propose a refund',
      responsePreview:
        'The customer was charged twice for invoice INV-2211; propose refunding the duplicate $120 charge.',
    }),
  )
  const custom = await timeCalls(() => agent.event('custom', { summary: 'custom event' }))
  const tracked = agent.track('sync_step', (x) => x + 1)
  const action = await timeCalls((i) => tracked(i))
  await hb.shutdown({ timeoutMs: 10_000 })
  return { 'task.llmCall': llm, 'agent.event(custom)': custom, 'tracked sync action': action }
}

async function startServer() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
  return { url: `http://127.0.0.1:${port}`, stop: () => child.stdin.end() }
}

/** The longest gap between consecutive setImmediate callbacks = the longest synchronous block. */
function blockMeter() {
  let last = performance.now()
  let max = 0
  let running = true
  const tick = () => {
    const now = performance.now()
    max = Math.max(max, now - last)
    last = now
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  return () => {
    running = false
    return max
  }
}

async function flushBench(url, compression) {
  const hb = new HiveBoard({ apiKey: KEY, endpoint: url, compression, logger: false, flushIntervalMs: 3_600_000 })
  const agent = hb.agent('bench-flush', { heartbeatIntervalMs: 0 })
  const filler = 'x'.repeat(900)
  await hb.flush()
  const runs = []
  for (let run = -1; run < 5; run++) {
    for (let i = 0; i < 500; i++) agent.event('custom', { kind: 'bench', summary: `event ${i}`, data: { filler } })
    const phases = { batch: 0, body: 0, send: 0 }
    transportHooks.onPhase = (phase, ms) => (phases[phase] = Math.max(phases[phase], ms))
    const histogram = monitorEventLoopDelay({ resolution: 1 })
    histogram.enable()
    const stop = blockMeter()
    const started = performance.now()
    await hb.flush({ timeoutMs: 30_000 })
    const elapsed = performance.now() - started
    const maxBlock = stop()
    histogram.disable()
    delete transportHooks.onPhase
    // run -1 warms up fetch
    if (run >= 0)
      runs.push({
        maxBlock,
        loopDelayMax: histogram.max / 1e6,
        elapsed,
        ...phases,
        sdk: Math.max(phases.batch, phases.body),
      })
  }
  const stats = hb.stats()
  await hb.shutdown()
  const worst = (k) => +Math.max(...runs.map((r) => r[k])).toFixed(3)
  return {
    events: 500,
    event_bytes: 1000,
    runs: runs.length,
    sent: stats.sent,
    requests: stats.requests,
    max_sdk_sync_section_ms: worst('sdk'),
    max_phase_ms: { batch: worst('batch'), body: worst('body'), 'send (fetch call, sync part)': worst('send') },
    max_sync_block_ms: worst('maxBlock'),
    event_loop_delay_max_ms: worst('loopDelayMax'),
    flush_ms_worst: worst('elapsed'),
    events_per_s: Math.round(500 / (Math.min(...runs.map((r) => r.elapsed)) / 1000)),
  }
}

/** 1,000,000 events with the server unreachable: the queue stays bounded and every drop is counted. */
async function memoryBench() {
  const gc = globalThis.gc
  if (typeof gc !== 'function') return { skipped: 'run with node --expose-gc' }
  const maxQueueSize = 10_000
  const maxQueueBytes = 32 * 1024 * 1024
  const hb = new HiveBoard({
    apiKey: KEY,
    endpoint: 'http://127.0.0.1:9',
    fetch: () => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })),
    logger: false,
  })
  const agent = hb.agent('bench-memory', { heartbeatIntervalMs: 0 })
  gc()
  const baseHeap = process.memoryUsage().heapUsed
  let maxHeapGrowth = 0
  let maxQueued = 0
  let maxQueuedBytes = 0
  const total = 1_000_000
  for (let i = 0; i < total; i++) {
    agent.event('custom', { summary: `event ${i}`, data: { i, text: 'payload text of moderate length' } })
    if (i % 10_000 === 9_999) {
      await new Promise((r) => setImmediate(r))
      gc()
      const s = hb.stats()
      maxQueued = Math.max(maxQueued, s.queued)
      maxQueuedBytes = Math.max(maxQueuedBytes, s.queuedBytes)
      maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - baseHeap)
    }
  }
  const s = hb.stats()
  const accounted = s.queued + s.inFlight + s.sent + s.dropped.queueFull + s.dropped.retriesExhausted
  await hb.shutdown({ timeoutMs: 0 })
  return {
    events: total + 1,
    max_queued: maxQueued,
    max_queued_bytes: maxQueuedBytes,
    max_heap_growth_mib: +(maxHeapGrowth / 1024 / 1024).toFixed(1),
    dropped_queue_full: s.dropped.queueFull,
    drop_count_exact: accounted === total + 1,
    within_bounds:
      maxQueued <= maxQueueSize && maxQueuedBytes <= maxQueueBytes && maxHeapGrowth <= maxQueueBytes + 16 * 1024 * 1024,
  }
}

const enqueue = await enqueueBench()
const memory = await memoryBench()
const server = await startServer()
const flushPlain = await flushBench(server.url, 'none')
const flushGzip = await flushBench(server.url, 'gzip')
server.stop()

const results = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadavg: loadavg().map((l) => +l.toFixed(2)),
  command: 'pnpm --filter loophive bench',
  enqueue,
  flush_500x1KB: { none: flushPlain, gzip: flushGzip },
  unreachable_1M: memory,
  targets: { llmCall_median_us: 5, llmCall_p99_us: 50, event_median_us: 3, action_median_us: 12, block_ms: 1 },
}
const out = fileURLToPath(new URL('../../../bench-results/sdk.json', import.meta.url))
mkdirSync(fileURLToPath(new URL('../../../bench-results/', import.meta.url)), { recursive: true })
writeFileSync(out, JSON.stringify(results, null, 2) + '\n')
process.stdout.write(JSON.stringify(results, null, 2) + '\n')
process.stdout.write(`written to ${out}\n`)
