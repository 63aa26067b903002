import { ManualClock } from '../src/clock.js'
import { silentLogger } from '../src/logger.js'
import { LocalWsBroadcaster } from '../src/realtime/local-ws-broadcaster.js'
import { anEvent, ingestBody } from '../src/testing/index.js'
import { call, uniqueEmail, type ApiResult } from './helpers/accounts.js'
import {
  EVERY_READER,
  row,
  SIGNED_IN_USER,
  walkMatrix,
  type Ctx,
  type Expect,
  type MatrixRow,
  type Outcome,
} from './helpers/role-matrix.js'
import { StreamClient } from './support/stream-client.js'

/**
 * api.md §2.4, the endpoints role-matrix.int.test.ts does not walk: every data read, every project,
 * alert-rule and pricing write, own-key revocation, user reactivation and role grants, the public
 * check-slug, and change-password (last: it revokes each JWT caller's session).
 */

const AGENT = 'matrix-agent'
const TASK = 'matrix-task'

/** Reads of one live-partition resource: test keys and other tenants do not see it. */
const LIVE_RESOURCE_READER: Expect = { ...EVERY_READER, test: 404, otherTenant: 404 }
/** Project and alert-rule writes on an existing resource: owner/admin/member, live keys as their creator. */
const RESOURCE_WRITER = row({
  owner: 200,
  admin: 200,
  member: 200,
  viewer: 403,
  live: 200,
  test: 403,
  read: 403,
  memberLive: 200,
  otherTenant: 404,
})
/** Pricing writes on an existing override: owner/admin only (a member's live key is a member). */
const PRICING_WRITER: Expect = { ...RESOURCE_WRITER, member: 403, memberLive: 403 }
/** Users endpoints on a member target: owner/admin, test keys never write. */
const USER_MANAGER = row({
  owner: 200,
  admin: 200,
  member: 403,
  viewer: 403,
  live: 200,
  test: 403,
  read: 403,
  memberLive: 403,
  otherTenant: 404,
})

/** Any role or key type may connect (api.md §4.14); bad credentials open, then close 4001 with a reason. */
async function subscribeToStream(c: Ctx): Promise<Outcome> {
  const client = await StreamClient.open(c.srv.wsUrl(c.token ?? null))
  try {
    const answer = await Promise.race([client.subscribe(['events']).then(() => null), client.closed()])
    return answer === null ? { status: 101, body: null } : { status: answer.code, body: { error: answer.reason } }
  } finally {
    client.close()
  }
}

const asOwner = (c: Ctx, method: string, path: string, body?: unknown): Promise<ApiResult> =>
  call(c.srv, method, path, { token: c.ownerToken, body })

/** A live-partition agent with one task, (re)sent before each cell so the reads have something to find. */
async function withAgent(c: Ctx): Promise<void> {
  const events = [anEvent({ event_type: 'task_started', task_id: TASK })]
  await call(c.srv, 'POST', '/v1/ingest', { token: c.srv.keys.live, body: ingestBody(events, { agent_id: AGENT }) })
}

async function freshProject(c: Ctx): Promise<string> {
  return (await asOwner(c, 'POST', '/v1/projects', { name: `M ${Math.random()}` })).body.project_id as string
}

async function freshRule(c: Ctx): Promise<string> {
  const rule = await asOwner(c, 'POST', '/v1/alerts/rules', { name: 'r', condition_type: 'task_failed' })
  return rule.body.rule_id as string
}

const uniquePattern = () => `matrix-model-${Math.random().toString(36).slice(2, 10)}`
const price = (pattern?: string) => ({
  ...(pattern === undefined ? {} : { model_pattern: pattern }),
  provider: 'acme',
  input_per_m: 1,
  output_per_m: 2,
})

const DATA_READS = [
  '/v1/events',
  '/v1/tasks',
  '/v1/metrics',
  '/v1/cost',
  '/v1/cost/timeseries',
  '/v1/llm-calls',
  '/v1/cost/calls',
  '/v1/insights',
  '/v1/pipeline',
  '/v1/projects',
  '/v1/alerts/rules',
  '/v1/alerts/history',
  '/v1/alerts/summary',
  '/v1/admin/pricing',
]

const ROWS: MatrixRow[] = [
  ...DATA_READS.map((path) => ({
    group: `data read GET ${path}`,
    req: () => ({ method: 'GET', path }),
    expect: EVERY_READER,
  })),
  {
    group: 'data read GET /v1/agents/{id}',
    req: async (c) => (await withAgent(c), { method: 'GET', path: `/v1/agents/${AGENT}` }),
    expect: LIVE_RESOURCE_READER,
  },
  {
    group: 'data read GET /v1/agents/{id}/pipeline',
    req: async (c) => (await withAgent(c), { method: 'GET', path: `/v1/agents/${AGENT}/pipeline` }),
    expect: LIVE_RESOURCE_READER,
  },
  {
    group: 'data read GET /v1/tasks/{id}/timeline',
    req: async (c) => (await withAgent(c), { method: 'GET', path: `/v1/tasks/${TASK}/timeline` }),
    expect: LIVE_RESOURCE_READER,
  },
  {
    group: 'data read GET /v1/projects/{ref}/agents',
    req: (c) => ({ method: 'GET', path: `/v1/projects/${c.projectId}/agents` }),
    expect: { ...EVERY_READER, otherTenant: 404 },
  },
  {
    group: 'data read GET /v1/alerts/rules/{id}',
    req: async (c) => ({ method: 'GET', path: `/v1/alerts/rules/${await freshRule(c)}` }),
    expect: { ...EVERY_READER, otherTenant: 404 },
  },
  {
    group: 'project delete DELETE /v1/projects/{ref}',
    req: async (c) => ({ method: 'DELETE', path: `/v1/projects/${await freshProject(c)}` }),
    expect: RESOURCE_WRITER,
  },
  {
    group: 'project unarchive POST /v1/projects/{ref}/unarchive',
    req: async (c) => {
      const id = await freshProject(c)
      await asOwner(c, 'POST', `/v1/projects/${id}/archive`)
      return { method: 'POST', path: `/v1/projects/${id}/unarchive` }
    },
    expect: RESOURCE_WRITER,
  },
  {
    group: 'project agent link POST /v1/projects/{ref}/agents',
    req: async (c) => {
      await withAgent(c)
      return { method: 'POST', path: `/v1/projects/${await freshProject(c)}/agents`, body: { agent_id: AGENT } }
    },
    expect: { ...RESOURCE_WRITER, owner: 201, admin: 201, member: 201, live: 201, memberLive: 201 },
  },
  {
    group: 'project agent unlink DELETE /v1/projects/{ref}/agents/{agent_id}',
    req: async (c) => {
      await withAgent(c)
      const id = await freshProject(c)
      await asOwner(c, 'POST', `/v1/projects/${id}/agents`, { agent_id: AGENT })
      return { method: 'DELETE', path: `/v1/projects/${id}/agents/${AGENT}` }
    },
    expect: RESOURCE_WRITER,
  },
  {
    group: 'alert rule create POST /v1/alerts/rules',
    req: () => ({ method: 'POST', path: '/v1/alerts/rules', body: { name: 'r', condition_type: 'task_failed' } }),
    expect: { ...RESOURCE_WRITER, owner: 201, admin: 201, member: 201, live: 201, memberLive: 201, otherTenant: 201 },
  },
  {
    group: 'alert rule update PUT /v1/alerts/rules/{id}',
    req: async (c) => ({ method: 'PUT', path: `/v1/alerts/rules/${await freshRule(c)}`, body: { name: 'renamed' } }),
    expect: RESOURCE_WRITER,
  },
  {
    group: 'alert rule delete DELETE /v1/alerts/rules/{id}',
    req: async (c) => ({ method: 'DELETE', path: `/v1/alerts/rules/${await freshRule(c)}` }),
    expect: RESOURCE_WRITER,
  },
  {
    group: 'alert rule test-fire POST /v1/alerts/rules/{id}/test',
    req: async (c) => ({ method: 'POST', path: `/v1/alerts/rules/${await freshRule(c)}/test` }),
    expect: RESOURCE_WRITER,
  },
  {
    group: 'pricing create POST /v1/admin/pricing',
    req: () => ({ method: 'POST', path: '/v1/admin/pricing', body: price(uniquePattern()) }),
    expect: { ...PRICING_WRITER, owner: 201, admin: 201, live: 201, otherTenant: 201 },
  },
  {
    group: 'pricing update PUT /v1/admin/pricing/{pattern}',
    req: async (c) => {
      const pattern = uniquePattern()
      await asOwner(c, 'POST', '/v1/admin/pricing', price(pattern))
      return { method: 'PUT', path: `/v1/admin/pricing/${pattern}`, body: price() }
    },
    expect: PRICING_WRITER,
  },
  {
    group: 'pricing delete DELETE /v1/admin/pricing/{pattern}',
    req: async (c) => {
      const pattern = uniquePattern()
      await asOwner(c, 'POST', '/v1/admin/pricing', price(pattern))
      return { method: 'DELETE', path: `/v1/admin/pricing/${pattern}` }
    },
    expect: PRICING_WRITER,
  },
  {
    group: 'api key revoke own DELETE /v1/api-keys/{id}',
    req: async (c) => {
      // The caller's own new key; test and read keys may not create one, so they try the owner's.
      const own = await call(c.srv, 'POST', '/v1/api-keys', { token: c.token, body: { key_type: 'read' } })
      const key = own.status === 201 ? own : await asOwner(c, 'POST', '/v1/api-keys', { key_type: 'read' })
      return { method: 'DELETE', path: `/v1/api-keys/${key.body.key_id}` }
    },
    expect: row({
      owner: 200,
      admin: 200,
      member: 200,
      viewer: 200,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 200,
      otherTenant: 200,
    }),
  },
  {
    group: 'user reactivate POST /v1/users/{id}/reactivate',
    req: async (c) => {
      const user = await asOwner(c, 'POST', '/v1/users', { email: uniqueEmail('re'), password: 'secret-pw', name: 'R' })
      await asOwner(c, 'DELETE', `/v1/users/${user.body.user_id}`)
      return { method: 'POST', path: `/v1/users/${user.body.user_id}/reactivate` }
    },
    expect: USER_MANAGER,
  },
  {
    group: 'user rename PUT /v1/users/{id} (member target)',
    req: (c) => ({ method: 'PUT', path: `/v1/users/${c.viewerId}`, body: { name: 'Viewer' } }),
    expect: USER_MANAGER,
  },
  {
    group: 'grant admin PUT /v1/users/{id} role admin',
    req: async (c) => {
      const user = await asOwner(c, 'POST', '/v1/users', { email: uniqueEmail('g'), password: 'secret-pw', name: 'G' })
      return { method: 'PUT', path: `/v1/users/${user.body.user_id}`, body: { role: 'admin' } }
    },
    expect: { ...USER_MANAGER, admin: [403, 'role_escalation'] },
  },
  {
    group: 'admin target PUT /v1/users/{id} of an admin',
    req: async (c) => {
      const body = { email: uniqueEmail('adm'), password: 'secret-pw', name: 'A', role: 'admin' }
      const user = await asOwner(c, 'POST', '/v1/users', body)
      return { method: 'PUT', path: `/v1/users/${user.body.user_id}`, body: { name: 'Renamed' } }
    },
    expect: { ...USER_MANAGER, admin: 403 },
  },
  {
    group: 'public GET /v1/auth/check-slug',
    req: () => ({ method: 'GET', path: '/v1/auth/check-slug?slug=matrix' }),
    expect: { ...EVERY_READER, none: 200, expired: 200, forged: 200 },
  },
  {
    group: 'stream GET /v1/stream?token= (101 = open and subscribed; 4001 = closed with that reason)',
    req: () => ({ method: 'GET', path: '/v1/stream' }),
    perform: subscribeToStream,
    expect: {
      ...EVERY_READER,
      owner: 101,
      admin: 101,
      member: 101,
      viewer: 101,
      live: 101,
      test: 101,
      read: 101,
      memberLive: 101,
      otherTenant: 101,
      none: [4001, 'Missing token'],
      expired: [4001, 'Invalid token'],
      forged: [4001, 'Invalid token'],
    },
  },
  {
    // Last on purpose: it revokes each JWT caller's session.
    group: 'self POST /v1/auth/change-password',
    req: (c) => ({
      method: 'POST',
      path: '/v1/auth/change-password',
      body: { current_password: c.password ?? 'none', new_password: 'another-secret' },
    }),
    expect: SIGNED_IN_USER,
  },
]

// A real local WebSocket broadcaster, so the stream row connects for real.
walkMatrix('role matrix, remaining endpoints (api.md §2.4)', ROWS, () => {
  const clock = new ManualClock('2026-02-15T10:00:00Z')
  const broadcaster = new LocalWsBroadcaster({
    clock,
    logger: silentLogger(),
    maxConnectionsPerPrincipal: 5,
    pingIntervalMs: 30_000,
    maxBufferedBytes: 1_048_576,
  })
  return { clock, broadcaster }
})
