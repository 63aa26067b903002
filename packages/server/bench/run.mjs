// `pnpm bench` (server): durable ingest throughput and batch latency against a real server process on
// loopback, on an empty store and again once the store holds 1,000,000 events (architecture.md targets).
import autocannon from 'autocannon'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ingestBody } from './ingest-body.mjs'
import { BENCH_KEY, rssMiB, startServerProcess, stopServerProcess } from './server-process.mjs'

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const TARGET_EVENTS = Number(process.env.BENCH_FILL_EVENTS ?? 1_000_000)

let counter = 0
function run(url, label, seconds, amount) {
  const prefix = `${label}-${Date.now()}`
  const options = {
    url: `${url}/v1/ingest`,
    connections: CONNECTIONS,
    pipelining: 1,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: ingestBody(prefix, counter++) }) }],
  }
  if (amount !== undefined) options.amount = amount
  else options.duration = seconds
  return autocannon(options)
}

function summarise(result) {
  const ok = result['2xx']
  const seconds = result.duration
  return {
    batches: ok,
    non_2xx: result.non2xx,
    errors: result.errors,
    events_per_s: Math.round((ok * 100) / seconds),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    max_ms: result.latency.max,
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'hb-bench-ingest-'))
const { child, url } = await startServerProcess(dataDir)
try {
  console.log(`ingest bench: ${CONNECTIONS} connections, batches of 100 events, fsync per commit, ${SECONDS}s per phase`)
  await run(url, 'warm', 2)
  const empty = summarise(await run(url, 'empty', SECONDS))
  console.log('empty store      ', empty)
  const before = Date.now()
  const stored = (empty.batches + 1) * 100
  const fill = await run(url, 'fill', undefined, Math.max(0, Math.ceil((TARGET_EVENTS - stored) / 100)))
  console.log(`filled to ~${TARGET_EVENTS.toLocaleString()} events in ${((Date.now() - before) / 1000).toFixed(1)}s`, summarise(fill))
  const full = summarise(await run(url, 'full', SECONDS))
  console.log('1M events stored ', full)
  const ratio = full.events_per_s / empty.events_per_s
  const rss = rssMiB(child.pid)
  console.log(`throughput at 1M / empty: ${(ratio * 100).toFixed(1)}% (target ≥ 80%); server RSS ${rss} MiB`)
  mkdirSync('../../bench-results', { recursive: true })
  writeFileSync('../../bench-results/ingest.json', JSON.stringify({ connections: CONNECTIONS, seconds: SECONDS, empty, full, ratio, rss_mib: rss }, null, 2))
} finally {
  await stopServerProcess(child)
  rmSync(dataDir, { recursive: true, force: true })
}
