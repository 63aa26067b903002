import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ingestBody } from './ingest-body.mjs'
import { BENCH_KEY, MAIN, SERVER_NODE_ARGS } from './server-process.mjs'
let counter = 0
const url = 'http://127.0.0.1:18460'
const run = (label, opts) => autocannon({ url: `${url}/v1/ingest`, connections: 16, ...opts,
  headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: ingestBody(label, counter++) }) }] })
const dataDir = mkdtempSync(join(tmpdir(), 'hb-prof-ingest-'))
const out = openSync('/tmp/prof/server-out.log', 'w')
const child = spawn(process.execPath, [...SERVER_NODE_ARGS, ...(process.env.EXTRA ?? '').split(' ').filter(Boolean), MAIN], {
  env: { ...process.env, HIVEBOARD_CONFIG: '', HIVEBOARD_PORT: '18460', HIVEBOARD_DATA_DIR: dataDir, HIVEBOARD_DEV_KEY: BENCH_KEY,
    HIVEBOARD_LOG_LEVEL: 'warn', HIVEBOARD_RATE_LIMIT_INGEST_PER_SECOND: '1000000', HIVEBOARD_RATE_LIMIT_QUERY_PER_SECOND: '1000000' },
  stdio: ['ignore', out, out] })
for (;;) { try { if ((await fetch(url + '/health/ready')).ok) break } catch {} await new Promise(r => setTimeout(r, 100)) }
const t0 = Date.now()
const r = await run('fill', { amount: Number(process.env.BATCHES ?? 10000) })
console.log('fill events/s', Math.round(r['2xx'] * 100 / r.duration), 'p99', r.latency.p99, 'max', r.latency.max)
console.log('full phase starts at +', Date.now() - t0, 'ms')
const f = await run('full', { duration: 10 })
console.log('full events/s', Math.round(f['2xx'] * 100 / f.duration), 'p50', f.latency.p50, 'p99', f.latency.p99, 'max', f.latency.max)
child.kill('SIGTERM'); await new Promise(r => child.once('exit', r))
rmSync(dataDir, { recursive: true, force: true })
