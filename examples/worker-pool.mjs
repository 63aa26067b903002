// A worker pool: four workers share one agent and run tasks concurrently. Each task and each tracked action
// keeps its own context across awaits, so events never get attributed to a neighbour's task. The queue is
// reported through queueProvider (with every heartbeat) and explicit queueSnapshot calls.
//   node examples/worker-pool.mjs --api-key hb_live_… [--endpoint http://127.0.0.1:8451]
import { setTimeout as sleep } from 'node:timers/promises'
import { init, shutdown } from 'loophive'

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const apiKey = arg('api-key') ?? process.env.LOOPHIVE_API_KEY
const endpoint = arg('endpoint') ?? process.env.LOOPHIVE_ENDPOINT ?? 'http://127.0.0.1:8451'
if (!apiKey) {
  console.error('usage: node examples/worker-pool.mjs --api-key hb_live_… [--endpoint URL]')
  process.exit(2)
}

const WORKERS = 4
const queue = Array.from({ length: 10 }, (_, i) => ({ id: `img-${100 + i}`, pixels: 1000 * (i + 1) }))

const hb = init({ apiKey, endpoint })
const agent = hb.agent('example-pool', {
  type: 'media',
  version: '1.0.0',
  heartbeatIntervalMs: 200,
  // Called before each heartbeat; its result is sent as a queue_snapshot (wire format: snake_case).
  queueProvider: () => ({ depth: queue.length }),
})

const download = agent.track('download', async (job) => sleep(10 + (job.pixels % 7) * 5))
const caption = agent.track('caption', async (task, job) => {
  await sleep(20)
  task.llmCall('caption', 'gemini-2.0-flash', { tokensIn: 258 + job.pixels / 100, tokensOut: 30, durationMs: 20 })
})

async function worker(n) {
  for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
    agent.queueSnapshot(queue.length)
    await agent.task(job.id, { project: 'examples', type: 'image_caption' }, async (task) => {
      await download(job)
      await caption(task, job)
    })
    console.log(`worker ${n}: ${job.id} done`)
  }
}

await Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n + 1)))
agent.queueSnapshot(0)

const { sent, dropped } = await shutdown()
console.log(`sent ${sent} events to ${endpoint}, dropped ${dropped}`)
process.exitCode = dropped === 0 ? 0 : 1
