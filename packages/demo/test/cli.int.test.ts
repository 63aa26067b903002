import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { systemClock } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORY_IDS } from '../src/stories/index.js'
import { getAll, runNode, sleep } from './helpers.js'

// The built bin, as `node packages/demo/dist/cli.js` runs it (the test command builds first).
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js')
let srv: TestServer

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run pnpm run build first`)
  srv = await startTestServer({ clock: systemClock })
})

afterAll(async () => {
  await srv?.close()
})

describe('hiveboard-demo CLI', () => {
  it('prints its flags and the six agents with --help', async () => {
    const { code, stdout } = await runNode([CLI, '--help'])
    expect(code).toBe(0)
    for (const flag of ['--endpoint', '--api-key', '--speed', '--agents', '--duration', '--seed']) {
      expect(stdout).toContain(flag)
    }
    for (const id of STORY_IDS) expect(stdout).toContain(id)
  })

  it('refuses unknown agents, a missing key and a bad speed with exit code 2', async () => {
    const unknown = await runNode([CLI, '--api-key', 'hb_live_x', '--agents', 'support-writer,nope'])
    expect(unknown).toMatchObject({ code: 2 })
    expect(unknown.stderr).toContain('unknown agent(s) nope')
    expect(await runNode([CLI], {})).toMatchObject({ code: 2 })
    expect(await runNode([CLI, '--api-key', 'hb_live_x', '--speed', '0'])).toMatchObject({ code: 2 })
  })

  it('runs a subset for --duration seconds, then flushes and exits 0', async () => {
    const args = ['--endpoint', srv.url, '--api-key', srv.keys.test, '--speed', '20', '--duration', '2', '--seed', '3']
    const result = await runNode([CLI, ...args, '--agents', 'support-writer,etl-batcher'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/\d+ events sent, 0 rejected, 0 dropped/)
    const agents = await getAll(srv, '/v1/agents?key_type=test', srv.keys.test)
    expect(agents.map((a) => a['agent_id']).sort()).toEqual(['etl-batcher', 'support-writer'])
  })

  it('stops cleanly on Ctrl+C and flushes what was queued', async () => {
    const args = ['--endpoint', srv.url, '--api-key', srv.keys.live, '--speed', '10', '--agents', 'refund-approver']
    const started = Date.now()
    const result = await runNode([CLI, ...args], {
      onSpawn: (child) => void sleep(1500).then(() => child.kill('SIGINT')),
    })
    expect(result.code, result.stderr).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(result.stderr).toContain('SIGINT: stopping the fleet')
    const events = await getAll(srv, '/v1/events?agent_id=refund-approver&event_type=task_started')
    expect(events.length).toBeGreaterThan(0)
  })
})
