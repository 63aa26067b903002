// A plain async agent loop: one agent, a few tasks made of tracked actions and an LLM call, one failure.
//   node examples/basic-agent.mjs --api-key hb_live_… [--endpoint http://127.0.0.1:8451]
// (or LOOPHIVE_API_KEY / LOOPHIVE_ENDPOINT in the environment)
import { setTimeout as sleep } from 'node:timers/promises'
import { init, shutdown } from 'loophive'

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const apiKey = arg('api-key') ?? process.env.LOOPHIVE_API_KEY
const endpoint = arg('endpoint') ?? process.env.LOOPHIVE_ENDPOINT ?? 'http://127.0.0.1:8451'
if (!apiKey) {
  console.error('usage: node examples/basic-agent.mjs --api-key hb_live_… [--endpoint URL]')
  process.exit(2)
}

const hb = init({ apiKey, endpoint })
const agent = hb.agent('example-basic', { type: 'triage', version: '1.0.0', heartbeatIntervalMs: 1000 })

// track() wraps a function: every call becomes action_started + action_completed (or action_failed).
const fetchTicket = agent.track('fetch_ticket', async (id) => {
  await sleep(30)
  if (id === 'T-3') throw new Error(`ticket ${id} not found`)
  return { id, text: 'I was charged twice this month' }
})
const classify = agent.track('classify', async (task, ticket) => {
  await sleep(50) // pretend to call a model…
  task.llmCall('classify', 'gpt-4o-mini', { tokensIn: 420, tokensOut: 8, cost: 0.000068, durationMs: 50 })
  return ticket.text.includes('charged') ? 'billing' : 'other'
})

for (const id of ['T-1', 'T-2', 'T-3']) {
  try {
    // task() emits task_started, runs the body, then task_completed, or task_failed if it throws.
    await agent.task(id, { project: 'examples', type: 'ticket_triage' }, async (task) => {
      const ticket = await fetchTicket(id)
      const label = await classify(task, ticket)
      console.log(`${id}: ${label}`)
    })
  } catch (error) {
    console.log(`${id}: failed (${error.message})`)
  }
}

// The SDK never keeps the process alive: await shutdown() so the queued events are sent before exit.
const { sent, dropped } = await shutdown()
console.log(`sent ${sent} events to ${endpoint}, dropped ${dropped}`)
process.exitCode = dropped === 0 ? 0 : 1
