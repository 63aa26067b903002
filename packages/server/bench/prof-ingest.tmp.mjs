import autocannon from 'autocannon'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ingestBody } from './ingest-body.mjs'
import { BENCH_KEY, SERVER_NODE_ARGS, startServerProcess, stopServerProcess } from './server-process.mjs'
let counter = 0
const run = (url, label, amount) => autocannon({ url: `${url}/v1/ingest`, connections: 16, amount,
  headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: ingestBody(label, counter++) }) }] })
const dataDir = mkdtempSync(join(tmpdir(), 'hb-prof-ingest-'))
const { child, url } = await startServerProcess(dataDir, {}, [...SERVER_NODE_ARGS, '--cpu-prof', '--cpu-prof-dir=/tmp/prof', ...(process.env.EXTRA ?? '').split(' ').filter(Boolean)])
const r = await run(url, 'fill', Number(process.env.BATCHES ?? 6000))
console.log('events/s', Math.round(r['2xx'] * 100 / r.duration), 'p50', r.latency.p50, 'p99', r.latency.p99, 'max', r.latency.max)
await stopServerProcess(child)
rmSync(dataDir, { recursive: true, force: true })
