import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { call, JWT_SECRET } from './helpers/accounts.js'

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

let srv: TestServer | undefined
afterEach(async () => {
  await srv?.close()
})

describe('secrets never at rest or in logs (api.md §1.8, §5.8)', () => {
  it('when every account flow has run, then no password, raw key, invite token or JWT is in the data folder, logs or later responses', async () => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'))
        done()
      },
    })
    srv = await startTestServer({ config: { jwt_secret: JWT_SECRET }, logger: pino({ level: 'trace' }, sink) })
    const s = srv
    const secrets: string[] = []
    const ownerPw = 'owner-Pa55word-unique'
    const reg = await call(s, 'POST', '/v1/auth/register', {
      body: { email: 'boss@example.com', password: ownerPw, name: 'Boss', tenant_name: 'Secret Co' },
    })
    secrets.push(ownerPw, reg.body.api_key)
    const session = await call(s, 'POST', '/v1/auth/login', { body: { email: 'boss@example.com', password: ownerPw } })
    const token = session.body.token as string
    secrets.push(token)
    const key = await call(s, 'POST', '/v1/api-keys', { token, body: { key_type: 'read' } })
    secrets.push(key.body.raw_key)
    await call(s, 'POST', '/v1/ingest', { token: reg.body.api_key, body: ingestBody(2) })
    const invite = await call(s, 'POST', '/v1/auth/invite', { token, body: { email: 'mate@example.com' } })
    secrets.push(invite.body.invite_token)
    const matePw = 'mate-Pa55word-unique'
    const accepted = await call(s, 'POST', '/v1/auth/accept-invite', {
      body: { invite_token: invite.body.invite_token, name: 'Mate', password: matePw },
    })
    secrets.push(matePw, accepted.body.token)
    const userPw = 'created-Pa55word-unique'
    await call(s, 'POST', '/v1/users', { token, body: { email: 'made@example.com', password: userPw, name: 'Made' } })
    secrets.push(userPw)
    const newPw = 'changed-Pa55word-unique'
    const changed = await call(s, 'POST', '/v1/auth/change-password', {
      token,
      body: { current_password: ownerPw, new_password: newPw },
    })
    secrets.push(newPw, changed.body.token)
    await call(s, 'GET', `/v1/agents?token=${encodeURIComponent(changed.body.token)}`, { token: changed.body.token })

    const later = [
      await call(s, 'GET', '/v1/api-keys', { token: changed.body.token }),
      await call(s, 'GET', '/v1/users', { token: changed.body.token }),
      await call(s, 'GET', '/v1/invites?status=all', { token: changed.body.token }),
      await call(s, 'GET', '/v1/users/me', { token: changed.body.token }),
    ]
    for (const res of later) {
      expect(res.status).toBe(200)
      const text = JSON.stringify(res.body)
      for (const secret of secrets) expect(text).not.toContain(secret)
      expect(text).not.toMatch(/password_hash|key_hash|token_hash|token_version|\$2[aby]\$/)
    }

    await s.close({ keepData: true })
    const files = filesUnder(s.dataDir)
    expect(files.some((f) => f.endsWith('users.json'))).toBe(true)
    const logs = lines.join('')
    expect(logs).toContain('request')
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      for (const secret of secrets) expect(text, file).not.toContain(secret)
    }
    for (const secret of secrets) expect(logs).not.toContain(secret)
    const users = readFileSync(files.find((f) => f.endsWith('users.json')) as string, 'utf8')
    expect(users).toMatch(/\$2[aby]\$10\$/)
  })
})
