import { ingestBody } from '../src/testing/index.js'
import { call, uniqueEmail } from './helpers/accounts.js'
import { EVERY_READER, row, SIGNED_IN_USER, walkMatrix, type MatrixRow } from './helpers/role-matrix.js'

/**
 * api.md §2.4, walked cell by cell: endpoint groups × every kind of caller. The remaining endpoints are
 * walked in role-matrix-endpoints.int.test.ts.
 */
const ROWS: MatrixRow[] = [
  {
    group: 'data read GET /v1/agents',
    req: () => ({ method: 'GET', path: '/v1/agents' }),
    expect: EVERY_READER,
  },
  {
    group: 'data read GET /v1/projects/{id}',
    req: (c) => ({ method: 'GET', path: `/v1/projects/${c.projectId}` }),
    expect: { ...EVERY_READER, otherTenant: 404 },
  },
  {
    group: 'ingest POST /v1/ingest',
    req: () => ({ method: 'POST', path: '/v1/ingest', body: ingestBody(1) }),
    expect: row({
      owner: 200,
      admin: 200,
      member: 200,
      viewer: 403,
      live: 200,
      test: 200,
      read: 403,
      memberLive: 200,
      otherTenant: 200,
    }),
  },
  {
    group: 'project create POST /v1/projects',
    req: () => ({ method: 'POST', path: '/v1/projects', body: { name: `P ${Math.random()}` } }),
    expect: row({
      owner: 201,
      admin: 201,
      member: 201,
      viewer: 403,
      live: 201,
      test: 403,
      read: 403,
      memberLive: 201,
      otherTenant: 201,
    }),
  },
  {
    group: 'project update PUT /v1/projects/{id}',
    req: (c) => ({ method: 'PUT', path: `/v1/projects/${c.projectId}`, body: { description: 'x' } }),
    expect: row({
      owner: 200,
      admin: 200,
      member: 200,
      viewer: 403,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 200,
      otherTenant: 404,
    }),
  },
  {
    group: 'api keys list GET /v1/api-keys',
    req: () => ({ method: 'GET', path: '/v1/api-keys' }),
    expect: EVERY_READER,
  },
  {
    group: 'api key create live',
    req: () => ({ method: 'POST', path: '/v1/api-keys', body: { key_type: 'live' } }),
    expect: row({
      owner: 201,
      admin: 201,
      member: 201,
      viewer: 403,
      live: 201,
      test: 403,
      read: [403, 'insufficient_permissions'],
      memberLive: 201,
      otherTenant: 201,
    }),
  },
  {
    group: 'api key create read',
    req: () => ({ method: 'POST', path: '/v1/api-keys', body: { key_type: 'read' } }),
    expect: row({
      owner: 201,
      admin: 201,
      member: 201,
      viewer: 201,
      live: 201,
      test: 403,
      read: 403,
      memberLive: 201,
      otherTenant: 201,
    }),
  },
  {
    group: "revoke another user's key",
    req: async (c) => {
      const key = await call(c.srv, 'POST', '/v1/api-keys', { token: c.ownerToken, body: {} })
      return { method: 'DELETE', path: `/v1/api-keys/${key.body.key_id}` }
    },
    expect: row({
      owner: 200,
      admin: 200,
      member: 403,
      viewer: 403,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 403,
      otherTenant: 404,
    }),
  },
  {
    group: 'users list GET /v1/users',
    req: () => ({ method: 'GET', path: '/v1/users' }),
    expect: row({
      owner: 200,
      admin: 200,
      member: 403,
      viewer: 403,
      live: 200,
      test: 200,
      read: 403,
      memberLive: 403,
      otherTenant: 200,
    }),
  },
  {
    group: 'user get GET /v1/users/{id}',
    req: (c) => ({ method: 'GET', path: `/v1/users/${c.memberId}` }),
    expect: row({
      owner: 200,
      admin: 200,
      member: 403,
      viewer: 403,
      live: 200,
      test: 200,
      read: 403,
      memberLive: 403,
      otherTenant: 404,
    }),
  },
  {
    group: 'user create POST /v1/users',
    req: () => ({
      method: 'POST',
      path: '/v1/users',
      body: { email: uniqueEmail(), password: 'secret-pw', name: 'N' },
    }),
    expect: row({
      owner: 201,
      admin: 201,
      member: 403,
      viewer: 403,
      live: 201,
      test: 403,
      read: 403,
      memberLive: 403,
      otherTenant: 201,
    }),
  },
  {
    group: 'user update PUT /v1/users/{id}',
    req: (c) => ({ method: 'PUT', path: `/v1/users/${c.viewerId}`, body: { name: 'Renamed' } }),
    expect: row({
      owner: 200,
      admin: 200,
      member: 403,
      viewer: 403,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 403,
      otherTenant: 404,
    }),
  },
  {
    group: 'invites list GET /v1/invites',
    req: () => ({ method: 'GET', path: '/v1/invites' }),
    expect: row({
      owner: 200,
      admin: 200,
      member: 403,
      viewer: 403,
      live: 200,
      test: 200,
      read: 403,
      memberLive: 403,
      otherTenant: 200,
    }),
  },
  {
    group: 'invite a member POST /v1/auth/invite',
    req: () => ({ method: 'POST', path: '/v1/auth/invite', body: { email: uniqueEmail('inv') } }),
    expect: row({
      owner: 201,
      admin: 201,
      member: 403,
      viewer: 403,
      live: 201,
      test: 403,
      read: 403,
      memberLive: 403,
      otherTenant: 201,
    }),
  },
  {
    group: 'grant admin (invite role admin)',
    req: () => ({ method: 'POST', path: '/v1/auth/invite', body: { email: uniqueEmail('adm'), role: 'admin' } }),
    expect: row({
      owner: 201,
      admin: [403, 'role_escalation'],
      member: 403,
      viewer: 403,
      live: 201,
      test: 403,
      read: 403,
      memberLive: 403,
      otherTenant: 201,
    }),
  },
  {
    group: 'project archive POST /v1/projects/{ref}/archive',
    req: async (c) => {
      const p = await call(c.srv, 'POST', '/v1/projects', { token: c.ownerToken, body: { name: `A ${Math.random()}` } })
      return { method: 'POST', path: `/v1/projects/${p.body.project_id}/archive` }
    },
    expect: row({
      owner: 200,
      admin: 200,
      member: 200,
      viewer: 403,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 200,
      otherTenant: 404,
    }),
  },
  {
    group: 'project merge POST /v1/projects/{ref}/merge',
    req: async (c) => {
      const p = await call(c.srv, 'POST', '/v1/projects', { token: c.ownerToken, body: { name: `M ${Math.random()}` } })
      return { method: 'POST', path: `/v1/projects/${p.body.project_id}/merge`, body: { target_slug: 'default' } }
    },
    expect: row({
      owner: 200,
      admin: 200,
      member: 200,
      viewer: 403,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 200,
      otherTenant: 404,
    }),
  },
  {
    group: 'invite cancel DELETE /v1/invites/{id}',
    req: async (c) => {
      const inv = await call(c.srv, 'POST', '/v1/auth/invite', {
        token: c.ownerToken,
        body: { email: uniqueEmail('c') },
      })
      return { method: 'DELETE', path: `/v1/invites/${inv.body.invite_id}` }
    },
    expect: row({
      owner: 200,
      admin: 200,
      member: 403,
      viewer: 403,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 403,
      otherTenant: 404,
    }),
  },
  {
    group: 'user deactivate DELETE /v1/users/{id}',
    req: async (c) => {
      const u = await call(c.srv, 'POST', '/v1/users', {
        token: c.ownerToken,
        body: { email: uniqueEmail('d'), password: 'secret-pw', name: 'D' },
      })
      return { method: 'DELETE', path: `/v1/users/${u.body.user_id}` }
    },
    expect: row({
      owner: 200,
      admin: 200,
      member: 403,
      viewer: 403,
      live: 200,
      test: 403,
      read: 403,
      memberLive: 403,
      otherTenant: 404,
    }),
  },
  {
    group: 'self GET /v1/users/me',
    req: () => ({ method: 'GET', path: '/v1/users/me' }),
    expect: SIGNED_IN_USER,
  },
  {
    // Last on purpose: it revokes each JWT caller's session.
    group: 'self POST /v1/auth/logout-all',
    req: () => ({ method: 'POST', path: '/v1/auth/logout-all' }),
    expect: SIGNED_IN_USER,
  },
]

walkMatrix('role matrix (api.md §2.4)', ROWS)
