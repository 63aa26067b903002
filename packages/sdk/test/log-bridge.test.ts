import { afterEach, describe, expect, it } from 'vitest'
import { forwardLog, hookConsole, logStream, reset } from '../src/index.js'
import { stubClient } from './stub.js'

afterEach(async () => {
  await reset()
})

function setup() {
  const s = stubClient()
  const agent = s.hb.agent('logs', { heartbeatIntervalMs: 0 })
  const issues = async () => {
    await s.hb.shutdown()
    return s.events().filter((e: any) => e.payload?.kind === 'issue') as any[]
  }
  return { s, agent, issues }
}

describe('logging bridge', () => {
  it('forwardLog maps levels to issue severities and ids', async () => {
    const { agent, issues } = setup()
    forwardLog(agent, { level: 40, msg: 'disk low', name: 'disk', filename: 'a.ts', lineno: 3 })
    forwardLog(agent, { level: 'error', message: { code: 1 } })
    forwardLog(agent, { levelName: 'critical', msg: 'down', logger: 'db' })
    forwardLog(agent, { level: 30, msg: 'info is ignored' })
    forwardLog(agent, { level: 'warn', msg: 'only errors' }, { level: 'error' })
    forwardLog(agent, { level: 'error', msg: '[loophive] own message' })
    forwardLog(agent, { level: 'error', msg: 'x', name: 'loophive.transport' })
    const sent = await issues()
    expect(sent.map((e) => [e.payload.summary, e.payload.data.severity, e.payload.data.issue_id, e.severity])).toEqual([
      ['disk low', 'medium', 'log-disk-WARNING', 'warn'],
      ['{"code":1}', 'high', 'log-root-ERROR', 'error'],
      ['down', 'critical', 'log-db-CRITICAL', 'error'],
    ])
    expect(sent[0].payload.data).toMatchObject({
      category: 'log',
      context: { logger: 'disk', filename: 'a.ts', lineno: 3 },
    })
    expect(sent[0].payload.tags).toEqual(['issue', 'log'])
  })

  it('rate limits per issue_id and reports the suppressed count', async () => {
    const { agent, issues } = setup()
    for (let i = 0; i < 15; i++) forwardLog(agent, { level: 'error', msg: `e${i}` }, { maxPerMinute: 3 })
    const sent = await issues()
    expect(sent).toHaveLength(3)
  })

  it('logStream accepts NDJSON split across chunks and ignores junk', async () => {
    const { agent, issues } = setup()
    const stream = logStream(agent, { loggerName: 'pino-app' })
    stream.write('{"level":50,"msg":"fir')
    stream.write('st"}\nnot json\n{"level":40,"msg":"second"}\n')
    await new Promise<void>((resolve) => stream.end(resolve))
    const sent = await issues()
    expect(sent.map((e) => [e.payload.summary, e.payload.data.issue_id])).toEqual([
      ['first', 'log-pino-app-ERROR'],
      ['second', 'log-pino-app-WARNING'],
    ])
  })

  it('hookConsole forwards console.warn/error, calls through and unhooks', async () => {
    const { agent, issues } = setup()
    const seen: unknown[][] = []
    const original = console.warn
    const originalError = console.error
    console.warn = (...args: unknown[]) => void seen.push(args)
    console.error = (...args: unknown[]) => void seen.push(args)
    try {
      const unhook = hookConsole(agent)
      console.warn('careful %d', 3)
      console.error(new Error('boom'))
      unhook()
      console.warn('after unhook')
    } finally {
      console.warn = original
      console.error = originalError
    }
    const sent = await issues()
    expect(seen).toHaveLength(3)
    expect(sent.map((e) => e.payload.data.issue_id)).toEqual(['log-console-WARNING', 'log-console-ERROR'])
    expect(sent[0].payload.summary).toBe('careful 3')
  })
})
