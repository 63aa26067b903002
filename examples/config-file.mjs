// The endpoint from a loophive.cfg file instead of code: init() without `endpoint` reads ./loophive.cfg
// (relative to the working directory), then ~/.loophive/loophive.cfg, then the hosted default.
//   cp examples/loophive.cfg.example loophive.cfg     # then edit the endpoint
//   node examples/config-file.mjs --api-key hb_live_…   (or LOOPHIVE_API_KEY)
import { init, shutdown } from 'loophive'

const i = process.argv.indexOf('--api-key')
const apiKey = (i > 0 ? process.argv[i + 1] : undefined) ?? process.env.LOOPHIVE_API_KEY
if (!apiKey) {
  console.error('usage: node examples/config-file.mjs --api-key hb_live_…   (the endpoint comes from ./loophive.cfg)')
  process.exit(2)
}

const hb = init({ apiKey }) // no endpoint here: see hb.endpoint for the one chosen
console.log(`endpoint ${hb.endpoint} (from ${process.cwd()}/loophive.cfg, if present)`)

const agent = hb.agent('example-config', { type: 'cron', version: '1.0.0' })
await agent.task('nightly-report', { project: 'examples', type: 'report' }, async (task) => {
  task.plan('Send the nightly report', ['Collect numbers', 'Email the team'])
  task.planStep(0, 'completed', 'Numbers collected')
  task.planStep(1, 'completed', 'Email sent')
})

const { sent, dropped } = await shutdown()
console.log(`sent ${sent} events, dropped ${dropped}`)
process.exitCode = dropped === 0 ? 0 : 1
