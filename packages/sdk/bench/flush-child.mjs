// One fresh process per run (spawned by run.mjs): its first flush pays every one-time cost left after start-up, the
// flushes after it are steady state. Prints one JSON object.
// argv: <ingest base url> <compression none|gzip> <batchSize> <steady flushes> [fetch]
// With `fetch`, the client gets `fetch: globalThis.fetch` (the FetchSender path) instead of the default node:http.
import { openSync, readSync } from 'node:fs'
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import { HiveBoard } from '../dist/index.js'
import { transportHooks } from '../dist/internal.js'

const [url, compression = 'none', batchSize = '100', steady = '5', sender = 'node:http'] = process.argv.slice(2)
// LOOPHIVE_BENCH_TRACE=1 prints, per window, every loop iteration over 0.5 ms and every GC, in ms since it began.
const TRACE = process.env.LOOPHIVE_BENCH_TRACE === '1'
const KEY = 'hb_live_bench000000000000000000'
const EVENTS = 500
const filler = 'x'.repeat(900)

// One fd and one buffer, read with pread: reading a /proc file with readFileSync allocates 64 KiB per tick.
let schedstat = -1
try {
  schedstat = openSync('/proc/thread-self/schedstat', 'r')
} catch {
  // not Linux: gaps are reported without the run-queue split
}
const statBuf = Buffer.alloc(128)

/** Nanoseconds this thread spent runnable but waiting for a CPU (Linux schedstat field 2); 0 elsewhere. */
function runQueueWaitNs() {
  if (schedstat < 0) return 0
  const n = readSync(schedstat, statBuf, 0, statBuf.length, 0)
  let ns = 0
  for (let i = statBuf.indexOf(32) + 1; i < n && statBuf[i] !== 32; i++) ns = ns * 10 + (statBuf[i] - 48)
  return ns
}

/**
 * Measures one window. A setImmediate loop delimits event-loop iterations: each gap between two ticks is one whole
 * iteration, an upper bound on the longest synchronous block inside it. Each gap is then split into:
 * - run-queue wait: the thread was runnable but the kernel ran another process (schedstat);
 * - GC: pauses reported by a PerformanceObserver that started inside the gap (the meter's own Immediate objects
 *   cause most scavenges, so GC is reported apart, not hidden);
 * - the rest: work on this thread, i.e. the SDK plus Node's HTTP client, plus any interrupt the kernel or hypervisor
 *   served on this CPU meanwhile (the idle window measures that floor).
 */
function openWindow() {
  const gaps = [] // [start, gap, waited], only gaps over 0.2 ms
  const gcs = []
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push([e.startTime, e.duration])
  })
  observer.observe({ entryTypes: ['gc'] })
  const loopDelay = monitorEventLoopDelay({ resolution: 1 })
  loopDelay.enable()
  let lastAt = performance.now()
  let lastWait = runQueueWaitNs()
  let running = true
  const t0 = lastAt
  const tick = () => {
    const now = performance.now()
    const wait = runQueueWaitNs()
    const gap = now - lastAt
    if (gap > 0.2) gaps.push([lastAt, gap, (wait - lastWait) / 1e6])
    lastAt = performance.now() // the schedstat read itself is not measured
    lastWait = runQueueWaitNs()
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  return async (label) => {
    await new Promise((r) => setImmediate(r)) // the iteration that resolved the awaited work is measured too
    running = false
    loopDelay.disable()
    await new Promise((r) => setTimeout(r, 5)) // PerformanceObserver delivers entries asynchronously
    observer.disconnect()
    let worst = { gap: 0, waited: 0, gc: 0, work: 0 }
    let worstWork = 0
    for (const [start, gap, waited] of gaps) {
      let gc = 0
      for (const [gs, gd] of gcs) if (gs >= start && gs < start + gap) gc += gd
      const work = Math.max(0, gap - waited - gc)
      if (gap > worst.gap) worst = { gap, waited, gc, work }
      worstWork = Math.max(worstWork, work)
    }
    if (TRACE) {
      const show = (rows) => JSON.stringify(rows.map(([s, d]) => [+(s - t0).toFixed(2), +d.toFixed(2)]))
      process.stderr.write(`${label}: iterations ${show(gaps.filter((g) => g[1] > 0.5))} gc ${show(gcs)}\n`)
    }
    return {
      longestIterationMs: worst.gap,
      runQueueWaitInLongestMs: worst.waited,
      gcInLongestMs: worst.gc,
      longestWorkMs: worstWork,
      gcPauseMaxMs: Math.max(0, ...gcs.map((g) => g[1])),
      loopDelayMaxMs: loopDelay.max / 1e6,
    }
  }
}

async function measuredFlush(hb, agent, run) {
  for (let i = 0; i < EVENTS; i++)
    agent.event('custom', { kind: 'bench', summary: `run ${run} event ${i}`, data: { filler } })
  const phases = { batch: 0, body: 0, send: 0 }
  transportHooks.onPhase = (phase, ms) => (phases[phase] = Math.max(phases[phase], ms))
  const close = openWindow()
  const started = performance.now()
  const result = await hb.flush({ timeoutMs: 30_000 })
  const elapsedMs = performance.now() - started
  const window = await close(`flush ${run}`)
  delete transportHooks.onPhase
  if (result.sent !== EVENTS + (run === 0 ? 1 : 0)) throw new Error(`flush ${run} sent ${result.sent}`)
  return { ...window, sdkSyncMs: Math.max(phases.batch, phases.body, phases.send), elapsedMs }
}

// Idle baseline: the same meter for 150 ms with nothing else to do.
const idle = await (async () => {
  const close = openWindow()
  await new Promise((r) => setTimeout(r, 150))
  return close('idle')
})()

// Start-up: `new HiveBoard()` and `agent()` are the host's own synchronous calls (timed as `constructMs`; the first
// call of each compiles the SDK's code). Construction schedules the HTTP client warm-up, one step per turn from the
// next turn on; an app's first flush comes after that (the 5 s timer or a full batch). The warm-up's blocks are
// reported as `startUp`.
const constructStart = performance.now()
const hb = new HiveBoard({
  apiKey: KEY,
  endpoint: url,
  compression,
  batchSize: Number(batchSize),
  logger: false,
  flushIntervalMs: 3_600_000,
  ...(sender === 'fetch' ? { fetch: (input, init) => globalThis.fetch(input, init) } : {}),
})
const agent = hb.agent('bench-flush', { heartbeatIntervalMs: 0 })
const constructMs = performance.now() - constructStart
const closeStartUp = openWindow() // the warm-up's first step runs before the meter's first tick: it is measured
await new Promise((r) => setTimeout(r, 50))
const startUp = { ...(await closeStartUp('start-up')), constructMs }

const flushes = []
for (let run = 0; run <= Number(steady); run++) flushes.push(await measuredFlush(hb, agent, run))
await hb.shutdown()
process.stdout.write(JSON.stringify({ idle, startUp, flushes }) + '\n')
