import { describe, expect, it } from 'vitest'
import type { Project } from '../../storage/entities.js'
import {
  effectiveProjectId,
  ProjectRedirects,
  projectIdsFor,
  reportedUnder,
  storedProjectIds,
} from './project-redirects.js'

const p = (project_id: string, events_moved_to: string | null = null) => ({ project_id, events_moved_to }) as Project

describe('project redirects', () => {
  it('when projects were merged in a chain, then every source counts for the final target', () => {
    const all = [p('a', 'b'), p('b', 'c'), p('c'), p('d')]
    expect(effectiveProjectId(all, 'a')).toBe('c')
    expect([...projectIdsFor(all, 'c')].sort()).toEqual(['a', 'b', 'c'])
    expect([...projectIdsFor(all, 'b')]).toEqual([])
    expect([...projectIdsFor(all, 'd')]).toEqual(['d'])
    const redirects = new ProjectRedirects(all)
    expect(['a', 'b', 'c', 'd', 'unknown', null].map(redirects.effective)).toEqual([
      'c',
      'c',
      'c',
      'd',
      'unknown',
      null,
    ])
  })

  it('when redirects form a cycle, then resolution stops instead of looping', () => {
    const all = [p('a', 'b'), p('b', 'a')]
    expect(effectiveProjectId(all, 'a')).toBe('b')
    expect(effectiveProjectId(all, 'b')).toBe('a')
  })

  it('when a tenant never moved events, then responses are passed through untouched', () => {
    const redirects = new ProjectRedirects([p('a'), p('b')])
    expect(redirects.effective).toBe(storedProjectIds)
    const item = { project_id: 'a', other: 1 }
    expect(reportedUnder(item, redirects.effective, ['project_id'])).toBe(item)
  })

  it('when an item names moved projects, then a copy reports each named field under the target', () => {
    const { effective } = new ProjectRedirects([p('a', 'b'), p('b')])
    const agent = { current_project_id: 'a', last_project_id: 'b', project_id: 'a' }
    expect(reportedUnder(agent, effective, ['current_project_id', 'last_project_id'])).toEqual({
      current_project_id: 'b',
      last_project_id: 'b',
      project_id: 'a',
    })
    expect(agent.current_project_id).toBe('a')
  })
})
