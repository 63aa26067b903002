// Reporting the calls of an LLM SDK: wrap the client once, and every completion becomes an llm_call event
// on the current task, with tokens, latency and previews. The server estimates the cost from its pricing
// table (no cost is sent). The client here is a fake with the OpenAI SDK's shape, so nothing leaves the box.
//   node examples/llm-client.mjs --api-key hb_live_… [--endpoint http://127.0.0.1:8451]
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { currentTask, init, shutdown } from 'loophive'

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const apiKey = arg('api-key') ?? process.env.LOOPHIVE_API_KEY
const endpoint = arg('endpoint') ?? process.env.LOOPHIVE_ENDPOINT ?? 'http://127.0.0.1:8451'
if (!apiKey) {
  console.error('usage: node examples/llm-client.mjs --api-key hb_live_… [--endpoint URL]')
  process.exit(2)
}

/** Stands in for `new OpenAI()`: same call shape, canned answers, realistic usage numbers. */
function createFakeOpenAI() {
  return {
    chat: {
      completions: {
        async create({ model, messages }) {
          await sleep(40)
          const prompt = messages.map((m) => m.content).join('\n')
          const content = `Summary of: ${prompt.slice(0, 40)}…`
          const usage = { prompt_tokens: Math.ceil(prompt.length / 4) + 20, completion_tokens: 64 }
          return { model, choices: [{ message: { role: 'assistant', content } }], usage }
        },
      },
    },
  }
}

/** Wraps `chat.completions.create` so each call is reported on the task that made it. */
function instrument(client) {
  const create = client.chat.completions.create.bind(client.chat.completions)
  client.chat.completions.create = async (params, name = 'chat') => {
    const started = performance.now()
    const response = await create(params)
    currentTask()?.llmCall(name, response.model, {
      tokensIn: response.usage.prompt_tokens,
      tokensOut: response.usage.completion_tokens,
      durationMs: Math.round(performance.now() - started),
      promptPreview: String(params.messages.at(-1)?.content ?? '').slice(0, 200),
      responsePreview: String(response.choices[0]?.message.content ?? '').slice(0, 200),
    })
    return response
  }
  return client
}

const hb = init({ apiKey, endpoint })
const agent = hb.agent('example-llm', { type: 'writer', version: '1.0.0' })
const openai = instrument(createFakeOpenAI())

const documents = ['Q3 board minutes', 'Incident report 2291', 'Vendor contract renewal']
for (const [i, title] of documents.entries()) {
  await agent.task(`summarise-${i + 1}`, { project: 'examples', type: 'summary' }, async () => {
    const draft = await openai.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: `Summarise the document "${title}".` }] },
      'draft_summary',
    )
    await openai.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Shorten: ${draft.choices[0].message.content}` }] },
      'shorten',
    )
  })
}

const { sent, dropped } = await shutdown()
console.log(`sent ${sent} events to ${endpoint}, dropped ${dropped}`)
process.exitCode = dropped === 0 ? 0 : 1
