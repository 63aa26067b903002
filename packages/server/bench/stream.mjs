// `pnpm bench` (server): live-stream latency, from the start of an ingest request to the matching
// event.new at a subscribed WebSocket client, on loopback (architecture.md: ≤ 100 ms p95).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { BENCH_KEY, startServerProcess, stopServerProcess } from './server-process.mjs'

const ROUNDS = Number(process.env.BENCH_STREAM_ROUNDS ?? 300)
const dataDir = mkdtempSync(join(tmpdir(), 'hb-bench-stream-'))
const { child, url } = await startServerProcess(dataDir)
const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/stream?token=${BENCH_KEY}`)
const waiting = new Map()
ws.on('message', (raw) => {
  const message = JSON.parse(raw.toString())
  if (message.type === 'subscribed') waiting.get('subscribed')?.()
  if (message.type === 'event.new') waiting.get(message.data.event_id)?.()
})
const arrival = (key) => new Promise((resolve) => waiting.set(key, resolve))
try {
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  const subscribed = arrival('subscribed')
  ws.send(JSON.stringify({ action: 'subscribe', channels: ['events'], token: BENCH_KEY }))
  await subscribed
  const latencies = []
  for (let i = 0; i < ROUNDS; i++) {
    const id = `stream-${i}`
    const pushed = arrival(id)
    const started = performance.now()
    const body = {
      envelope: { agent_id: 'stream-bench' },
      events: [
        {
          event_id: id,
          timestamp: new Date().toISOString(),
          event_type: 'custom',
          payload: { summary: 'latency probe' },
        },
      ],
    }
    await fetch(`${url}/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    await pushed
    if (i >= 20) latencies.push(performance.now() - started) // the first rounds warm up
  }
  latencies.sort((a, b) => a - b)
  const at = (p) => Number(latencies[Math.ceil((p / 100) * latencies.length) - 1].toFixed(2))
  const result = { rounds: latencies.length, p50_ms: at(50), p95_ms: at(95), max_ms: at(100) }
  console.log('stream latency, ingest start → event.new at a subscribed client (target p95 ≤ 100 ms):', result)
  mkdirSync('../../bench-results', { recursive: true })
  writeFileSync('../../bench-results/stream.json', JSON.stringify(result, null, 2))
} finally {
  ws.close()
  await stopServerProcess(child)
  rmSync(dataDir, { recursive: true, force: true })
}
