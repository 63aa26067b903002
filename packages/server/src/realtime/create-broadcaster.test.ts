import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { ManualClock } from '../clock.js'
import { testConfig } from '../config.js'
import { ApiGatewayBroadcaster } from './apigw-broadcaster.js'
import type { Broadcaster } from './broadcaster.js'
import { chooseBroadcaster, createBroadcaster } from './create-broadcaster.js'
import { LocalWsBroadcaster } from './local-ws-broadcaster.js'

const SECRET = 'k8Jq2mZx9Lp4Rt7Vw1Nb6Hc3Fd5Gs0Ya'
const ENDPOINT = 'https://abc123.execute-api.eu-west-1.amazonaws.com/production'
const made: Broadcaster[] = []
afterEach(async () => {
  await Promise.all(made.splice(0).map((b) => b.close()))
})

function capture() {
  const lines: Array<{ level: number; msg: string }> = []
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as { level: number; msg: string })
      done()
    },
  })
  return { logger: pino({ level: 'info' }, stream), lines }
}

describe('createBroadcaster (realtime.md R5)', () => {
  it('when production has an endpoint, then the bridge is chosen; otherwise local', () => {
    expect(chooseBroadcaster({ mode: 'production', ws_gateway_endpoint: ENDPOINT })).toBe('bridge')
    expect(chooseBroadcaster({ mode: 'production', ws_gateway_endpoint: '' })).toBe('local')
    expect(chooseBroadcaster({ mode: 'local', ws_gateway_endpoint: ENDPOINT })).toBe('local')
  })

  it('when production has no endpoint, then local is built and a warning logged once', async () => {
    const { logger, lines } = capture()
    const config = testConfig({ mode: 'production', jwt_secret: SECRET })
    const broadcaster = createBroadcaster(config, logger, new ManualClock(0))
    made.push(broadcaster)
    expect(broadcaster).toBeInstanceOf(LocalWsBroadcaster)
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines.filter((l) => l.level === 40)).toHaveLength(1)
  })

  it('when production has an endpoint, then the bridge is built', () => {
    const config = testConfig({ mode: 'production', jwt_secret: SECRET, ws_gateway_endpoint: ENDPOINT })
    const broadcaster = createBroadcaster(config, capture().logger, new ManualClock(0))
    made.push(broadcaster)
    expect(broadcaster).toBeInstanceOf(ApiGatewayBroadcaster)
    expect(broadcaster.kind).toBe('bridge')
  })
})
