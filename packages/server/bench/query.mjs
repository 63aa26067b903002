// Query latency, start time and RSS at 1,000,000 stored events (200 agents, 7 days).
// Usage: pnpm --filter @hiveboard/server bench:query   (BENCH_DATA_DIR to reuse a folder; default /tmp/hb-bench-query)
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchFolderReady, generate } from './gen-data.mjs'
import { MAIN, SERVER_NODE_ARGS } from './server-process.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const dataDir = process.env.BENCH_DATA_DIR ?? '/tmp/hb-bench-query'
const port = Number(process.env.BENCH_PORT ?? 18452)
const devKey = 'hb_live_bench0000000000000000000000000000'
const base = `http://127.0.0.1:${port}`
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200)

function startServer() {
  const started = performance.now()
  // the same node flags as the README's start command (`pnpm start`)
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, MAIN], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      HIVEBOARD_CONFIG: '',
      HIVEBOARD_DATA_DIR: dataDir,
      HIVEBOARD_PORT: String(port),
      HIVEBOARD_DEV_KEY: devKey,
      HIVEBOARD_LOG_LEVEL: 'warn',
      HIVEBOARD_RETENTION_DAYS: '30',
      HIVEBOARD_RATE_LIMIT_QUERY_PER_SECOND: '1000000',
    },
  })
  return { child, started }
}

async function waitReady(started) {
  for (;;) {
    try {
      const res = await fetch(`${base}/health/ready`)
      if (res.status === 200) return performance.now() - started
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function stop(child) {
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

const quantile = (sorted, p) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]

async function measure(path) {
  const headers = { authorization: `Bearer ${devKey}` }
  const times = []
  for (let i = 0; i < ROUNDS + 20; i++) {
    const t0 = performance.now()
    const res = await fetch(base + path, { headers })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`${path} → ${res.status}`)
    if (i >= 20) times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50_ms: +quantile(times, 50).toFixed(2), p95_ms: +quantile(times, 95).toFixed(2) }
}

// Windows like range=24h end at now: a folder generated hours ago would leave them half empty.
const STALE_MS = 3_600_000
if (!benchFolderReady(dataDir) || Date.now() - statSync(join(dataDir, '.bench-complete')).mtimeMs > STALE_MS) {
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  const boot = startServer()
  await waitReady(boot.started)
  await stop(boot.child)
  const t0 = performance.now()
  const made = await generate({ dataDir, endMs: Date.now() })
  console.log(`generated ${made.events} events (${made.tasks} tasks) in ${Math.round(performance.now() - t0)} ms`)
}

// The first start after generation does one-off work (pruning, compacting old segments, checkpoints);
// the figure that matters is a restart of a folder the server has already run on.
const warmUp = startServer()
const firstStartMs = await waitReady(warmUp.started)
await stop(warmUp.child)
const { child, started } = startServer()
const startMs = await waitReady(started)
const headers = { authorization: `Bearer ${devKey}` }
const tasks = await (await fetch(`${base}/v1/tasks?limit=1`, { headers })).json()
const taskId = tasks.data[0]?.task_id ?? 'task-1'
const endpoints = [
  '/v1/agents',
  `/v1/tasks/${encodeURIComponent(taskId)}/timeline`,
  '/v1/cost?range=24h',
  '/v1/cost/timeseries?range=7d',
  '/v1/metrics?range=24h',
  '/v1/events?limit=50',
  '/v1/llm-calls?limit=50',
  '/v1/insights?range=24h',
]
const results = {}
for (const path of endpoints) {
  try {
    results[path] = await measure(path)
  } catch (error) {
    results[path] = { error: String(error) }
  }
}
const rss = rssMiB(child.pid)
const meta = JSON.parse(readFileSync(join(dataDir, '.bench-complete'), 'utf8'))
await stop(child)

const report = {
  events: meta.events,
  agents: 200,
  first_start_ms: Math.round(firstStartMs),
  start_ms: Math.round(startMs),
  rss_mib: rss,
  rounds: ROUNDS,
  endpoints: results,
}
console.log(
  `\nevents ${meta.events}  first start ${report.first_start_ms} ms  restart ${report.start_ms} ms  RSS ${rss} MiB\n`,
)
console.log('endpoint'.padEnd(52) + 'p50 ms'.padStart(10) + 'p95 ms'.padStart(10))
for (const [path, r] of Object.entries(results)) {
  const label = path.startsWith('/v1/tasks/') ? '/v1/tasks/{id}/timeline' : path
  console.log(label.padEnd(52) + String(r.p50_ms ?? r.error).padStart(10) + String(r.p95_ms ?? '').padStart(10))
}
const out = join(here, '../bench-results')
mkdirSync(out, { recursive: true })
writeFileSync(join(out, 'query.json'), JSON.stringify(report, null, 2) + '\n')
