import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anEvent, ingestBody, startTestServer, type TestServer } from '../src/testing/index.js'
import { call } from './helpers/accounts.js'

let srv: TestServer
const key = () => srv.keys.live
const api = (method: string, path: string, body?: unknown) => call(srv, method, path, { token: key(), body })

beforeEach(async () => {
  srv = await startTestServer({ config: { max_projects: 4 } })
})
afterEach(async () => {
  await srv.close()
})

async function ingestInto(project: string, count: number, agent = 'agent-1', task?: string): Promise<void> {
  const events = Array.from({ length: count }, () =>
    anEvent({
      event_type: 'custom',
      project_id: project,
      payload: { kind: 'note', summary: 'x' },
      ...(task ? { task_id: task } : {}),
    }),
  )
  const res = await call(srv, 'POST', '/v1/ingest', { token: key(), body: ingestBody(events, { agent_id: agent }) })
  expect(res.status).toBe(200)
}

describe('projects CRUD (api.md §4.10)', () => {
  it('when projects are created, read, updated and listed, then refs resolve by id or slug', async () => {
    const created = await api('POST', '/v1/projects', { name: 'Sales Bots!', description: 'd' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'Sales Bots!',
      slug: 'sales-bots',
      description: 'd',
      environment: 'production',
      is_archived: false,
      auto_created: false,
      merged_into: null,
      event_count: 0,
      agent_count: 0,
    })
    const id = created.body.project_id as string
    expect((await api('GET', '/v1/projects/sales-bots')).body.project_id).toBe(id)
    expect((await api('GET', `/v1/projects/${id}`)).body.slug).toBe('sales-bots')
    expect((await api('GET', '/v1/projects/nope')).body).toMatchObject({ status: 404, message: 'Project not found' })
    expect((await api('POST', '/v1/projects', { name: 'Other', slug: 'sales-bots' })).body.error).toBe('slug_exists')
    expect((await api('POST', '/v1/projects', { name: '' })).status).toBe(400)
    expect((await api('POST', '/v1/projects', { name: 'x', slug: 'Bad Slug' })).status).toBe(400)
    const updated = await api('PUT', '/v1/projects/sales-bots', {
      slug: 'sales',
      description: null,
      settings: { a: 1 },
    })
    expect(updated.body).toMatchObject({ slug: 'sales', description: null, settings: { a: 1 } })
    expect((await api('PUT', '/v1/projects/default', { slug: 'main' })).body.error).toBe('cannot_modify_default')
    expect((await api('PUT', '/v1/projects/default', { name: 'Main' })).status).toBe(200)
    await api('POST', '/v1/projects', { name: 'Alpha' })
    const list = await api('GET', '/v1/projects')
    expect(list.body.data.map((p: { slug: string }) => p.slug)).toEqual(['default', 'alpha', 'sales'])
  })

  it('when max_projects is reached, then 409 project_limit_reached; archiving frees a slot', async () => {
    for (const name of ['a', 'b', 'c']) expect((await api('POST', '/v1/projects', { name })).status).toBe(201)
    expect((await api('POST', '/v1/projects', { name: 'd' })).body.error).toBe('project_limit_reached')
    expect((await api('POST', '/v1/projects/a/archive')).body).toEqual({ status: 'archived' })
    expect((await api('POST', '/v1/projects', { name: 'd' })).status).toBe(201)
    expect((await api('GET', '/v1/projects')).body.data).toHaveLength(4)
    expect((await api('GET', '/v1/projects?include_archived=true')).body.data).toHaveLength(5)
    expect((await api('POST', '/v1/projects/a/unarchive')).body.error).toBe('project_limit_reached')
    await api('POST', '/v1/projects/d/archive')
    expect((await api('POST', '/v1/projects/a/unarchive')).body).toEqual({ status: 'unarchived' })
    expect((await api('POST', '/v1/projects/default/archive')).body.error).toBe('cannot_modify_default')
  })

  it('when an archived slug is reused and then unarchived, then 409 slug_exists', async () => {
    await api('POST', '/v1/projects', { name: 'x' })
    await api('POST', '/v1/projects/x/archive')
    await api('POST', '/v1/projects', { name: 'x' })
    const archived = (await api('GET', '/v1/projects?include_archived=true')).body.data.find(
      (p: { is_archived: boolean }) => p.is_archived,
    )
    expect((await api('POST', `/v1/projects/${archived.project_id}/unarchive`)).body.error).toBe('slug_exists')
  })
})

describe('merge and delete move events and links', () => {
  it('when a project is merged, then the target counts and lists the moved events, tasks and agents', async () => {
    await api('POST', '/v1/projects', { name: 'src' })
    await api('POST', '/v1/projects', { name: 'dst' })
    await ingestInto('src', 3, 'agent-a', 'task-1')
    await ingestInto('dst', 1, 'agent-b')
    expect((await api('POST', '/v1/projects/src/merge', { target_slug: 'src' })).body.error).toBe('invalid_merge')
    expect((await api('POST', '/v1/projects/default/merge', { target_slug: 'dst' })).body.error).toBe('invalid_merge')
    expect((await api('POST', '/v1/projects/src/merge', { target_slug: 'ghost' })).status).toBe(404)
    const merged = await api('POST', '/v1/projects/src/merge', { target_slug: 'dst' })
    expect(merged.body).toEqual({ status: 'merged', source_slug: 'src', target_slug: 'dst', events_moved: 3 })
    const dst = (await api('GET', '/v1/projects/dst')).body
    expect(dst).toMatchObject({ event_count: 4, agent_count: 2 })
    expect((await api('GET', '/v1/projects/src')).body).toMatchObject({
      is_archived: true,
      merged_into: dst.project_id,
      event_count: 0,
    })
    expect((await api('GET', '/v1/events?project_id=dst')).body.data).toHaveLength(4)
    expect((await api('GET', '/v1/tasks?project_id=dst')).body.data.map((t: { task_id: string }) => t.task_id)).toEqual(
      ['task-1'],
    )
    const agents = await api('GET', '/v1/projects/dst/agents')
    expect(agents.body.data.map((a: { agent_id: string }) => a.agent_id)).toEqual(['agent-a', 'agent-b'])
    expect((await api('GET', '/v1/agents?project_id=dst')).body.data).toHaveLength(2)
  })

  it('when a project is deleted, then its events go to reassign_to (default by default)', async () => {
    await api('POST', '/v1/projects', { name: 'gone' })
    await ingestInto('gone', 2)
    expect((await api('DELETE', '/v1/projects/default')).body.error).toBe('cannot_delete_default')
    expect((await api('DELETE', '/v1/projects/gone?reassign_to=ghost')).status).toBe(404)
    const deleted = await api('DELETE', '/v1/projects/gone')
    expect(deleted.body).toEqual({ status: 'deleted', events_reassigned: 2, reassigned_to: 'default' })
    expect((await api('GET', '/v1/projects/default')).body.event_count).toBe(2)
    expect((await api('GET', '/v1/projects')).body.data.map((p: { slug: string }) => p.slug)).toEqual(['default'])
  })

  it('when the server restarts, then moved events still count for the target', async () => {
    await api('POST', '/v1/projects', { name: 'src' })
    await ingestInto('src', 2)
    await api('POST', '/v1/projects/src/merge', { target_slug: 'default' })
    const dataDir = srv.dataDir
    await srv.close({ keepData: true })
    srv = await startTestServer({ dataDir })
    expect((await api('GET', '/v1/projects/default')).body.event_count).toBe(2)
  })
})

describe('project agents', () => {
  it('when agents are linked and unlinked, then 201/200/404 as the spec says', async () => {
    await ingestInto('default', 1, 'agent-x')
    await api('POST', '/v1/projects', { name: 'p' })
    const add = await api('POST', '/v1/projects/p/agents', { agent_id: 'agent-x' })
    expect(add.status).toBe(201)
    expect(add.body).toMatchObject({ status: 'added', agent_id: 'agent-x' })
    expect((await api('POST', '/v1/projects/p/agents', { agent_id: 'agent-x' })).status).toBe(200)
    expect((await api('POST', '/v1/projects/p/agents', { agent_id: 'ghost' })).status).toBe(404)
    expect((await api('DELETE', '/v1/projects/p/agents/agent-x')).body).toEqual({ status: 'removed' })
    expect((await api('DELETE', '/v1/projects/p/agents/agent-x')).status).toBe(404)
  })

  it('when project agents are listed, then they answer as GET /v1/agents: filters, sorts, attention order', async () => {
    const failed = anEvent({ event_type: 'task_failed', project_id: 'default', task_id: 't-err' })
    await call(srv, 'POST', '/v1/ingest', { token: key(), body: ingestBody([failed], { agent_id: 'b-broken' }) })
    await ingestInto('default', 1, 'a-fine')
    const staging = anEvent({ event_type: 'custom', project_id: 'default', payload: null })
    const body = ingestBody([staging], { agent_id: 'c-staging', environment: 'staging' })
    await call(srv, 'POST', '/v1/ingest', { token: key(), body })
    const ids = (res: { body: { data: Array<{ agent_id: string }> } }) => res.body.data.map((a) => a.agent_id)
    for (const query of ['', '?status=error', '?environment=staging', '?sort=name', '?sort=name&limit=1']) {
      const project = await api('GET', `/v1/projects/default/agents${query}`)
      const agents = await api('GET', `/v1/agents${query === '' ? '?' : query + '&'}project_id=default`)
      expect(ids(project), query).toEqual(ids(agents))
      expect(project.body.pagination, query).toEqual(agents.body.pagination)
    }
    expect(ids(await api('GET', '/v1/projects/default/agents'))).toEqual(['b-broken', 'a-fine', 'c-staging'])
    expect(ids(await api('GET', '/v1/projects/default/agents?status=error'))).toEqual(['b-broken'])
    expect((await api('GET', '/v1/projects/default/agents?status=bogus')).status).toBe(400)
  })
})
