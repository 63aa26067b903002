import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { ManualClock } from '../src/clock.js'
import { testConfig } from '../src/config.js'
import { silentLogger } from '../src/logger.js'
import { RecordingBroadcaster } from '../src/realtime/recording-broadcaster.js'
import { JsonFileStorage } from '../src/storage/json-file/json-file-storage.js'

const STRONG_SECRET = 'k8Jq2mZx9Lp4Rt7Vw1Nb6Hc3Fd5Gs0Ya'
const opened: Array<{ storage: JsonFileStorage; dir: string }> = []

afterEach(async () => {
  for (const { storage, dir } of opened.splice(0)) {
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

async function appIn(mode: 'local' | 'production') {
  const dir = mkdtempSync(join(tmpdir(), 'hb-mode-'))
  const logger = silentLogger()
  const storage = new JsonFileStorage({ dataDir: dir, logger })
  await storage.open()
  opened.push({ storage, dir })
  const config = testConfig({ mode, data_dir: dir, ...(mode === 'production' ? { jwt_secret: STRONG_SECRET } : {}) })
  return createApp({ config, storage, broadcaster: new RecordingBroadcaster(), clock: new ManualClock(0), logger })
}

describe('CORS by mode (realtime.md R39, api.md §1.8)', () => {
  it('when in production, then no response carries CORS headers and OPTIONS answers 204 without auth', async () => {
    const app = await appIn('production')
    const preflight = await request(app)
      .options('/v1/agents')
      .set('Origin', 'https://example.org')
      .set('Access-Control-Request-Method', 'GET')
    expect(preflight.status).toBe(204)
    const responses = [
      preflight,
      await request(app).get('/v1/agents').set('Origin', 'https://example.org'),
      await request(app).get('/health'),
      await request(app).get('/v1/stream'),
      await request(app).post('/ws/connect'),
    ]
    for (const res of responses) {
      const cors = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))
      expect(cors).toEqual([])
    }
    expect(responses[1]?.status).toBe(401)
  })

  it('when local, then preflights answer before auth with CORS headers, the stream path included', async () => {
    const app = await appIn('local')
    const preflight = await request(app).options('/v1/stream').set('Origin', 'http://localhost:5173')
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
    expect(preflight.headers['access-control-allow-methods']).toContain('GET')
    const unauthorised = await request(app).get('/v1/agents')
    expect(unauthorised.status).toBe(401)
    expect(unauthorised.headers['access-control-allow-origin']).toBe('*')
  })

  it('when nothing is configured, then the server binds loopback', () => {
    expect(testConfig().host).toBe('127.0.0.1')
  })
})
