import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getAll, runNode } from './helpers.js'

// Each example of examples/ runs as its users would run it: `node examples/x.mjs`, against a real server.
const EXAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples')
let srv: TestServer

beforeAll(async () => {
  srv = await startTestServer({ clock: systemClock })
})

afterAll(async () => {
  await srv?.close()
})

async function runExample(name: string, extra: string[] = []) {
  const result = await runNode([join(EXAMPLES, name), '--api-key', srv.keys.live, ...extra])
  expect(result.stderr).not.toMatch(/\[loophive\] (warn|error)/)
  expect(result.code, result.stderr).toBe(0)
  return result
}

describe('examples/', () => {
  it('basic-agent.mjs: tasks of tracked actions, one of them failing', async () => {
    const { stdout } = await runExample('basic-agent.mjs', ['--endpoint', srv.url])
    expect(stdout).toContain('T-3: failed')
    const tasks = await getAll(srv, '/v1/tasks?agent_id=example-basic')
    const status = Object.fromEntries(tasks.map((t) => [t['task_id'], t['derived_status']]))
    expect(status).toEqual({ 'T-1': 'completed', 'T-2': 'completed', 'T-3': 'failed' })
    const failed = await getAll(srv, '/v1/events?agent_id=example-basic&event_type=action_failed')
    expect(failed[0]?.['payload']).toMatchObject({
      action_name: 'fetch_ticket',
      exception_message: 'ticket T-3 not found',
    })
  })

  it('llm-client.mjs: a wrapped client reports each call, priced by the server', async () => {
    await runExample('llm-client.mjs', ['--endpoint', srv.url])
    const calls = await getAll(srv, '/v1/events?agent_id=example-llm&payload_kind=llm_call')
    expect(calls).toHaveLength(6)
    expect(new Set(calls.map((e) => e['payload'].data.model))).toEqual(new Set(['gpt-4o', 'gpt-4o-mini']))
    for (const { payload, task_id } of calls) {
      expect(task_id).toMatch(/^summarise-\d$/)
      expect(payload.data).toMatchObject({ cost_source: 'estimated', tokens_out: 64 })
      expect(payload.data.prompt_preview).toMatch(/^(Summarise|Shorten)/)
    }
  })

  it('worker-pool.mjs: concurrent tasks keep their own actions and calls', async () => {
    await runExample('worker-pool.mjs', ['--endpoint', srv.url])
    const tasks = await getAll(srv, '/v1/tasks?agent_id=example-pool&status=completed')
    expect(tasks).toHaveLength(10)
    const started = await getAll(srv, '/v1/events?agent_id=example-pool&event_type=action_started')
    const taskOfAction = new Map(started.map((e) => [e['action_id'], e['task_id']]))
    const calls = await getAll(srv, '/v1/events?agent_id=example-pool&payload_kind=llm_call')
    expect(calls).toHaveLength(10)
    for (const call of calls) expect(taskOfAction.get(call['action_id'])).toBe(call['task_id'])
    const snapshots = await getAll(srv, '/v1/events?agent_id=example-pool&payload_kind=queue_snapshot')
    expect(snapshots.at(0)?.['payload'].data.depth).toBe(0) // newest first: the final, empty queue
  })

  it('config-file.mjs: the endpoint comes from ./loophive.cfg', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-example-cfg-'))
    try {
      writeFileSync(join(dir, 'loophive.cfg'), `[loophive]\nendpoint = ${srv.url}\n`)
      const result = await runNode([join(EXAMPLES, 'config-file.mjs'), '--api-key', srv.keys.live], { cwd: dir })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(`endpoint ${srv.url}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const tasks = await getAll(srv, '/v1/tasks?agent_id=example-config')
    expect(tasks.map((t) => [t['task_id'], t['derived_status']])).toEqual([['nightly-report', 'completed']])
  })
})
