import { describe, expect, it } from 'vitest'
import type { Project } from '../../storage/entities.js'
import { effectiveProjectId, projectIdsFor } from './project-redirects.js'

const p = (project_id: string, events_moved_to: string | null = null) => ({ project_id, events_moved_to }) as Project

describe('project redirects', () => {
  it('when projects were merged in a chain, then every source counts for the final target', () => {
    const all = [p('a', 'b'), p('b', 'c'), p('c'), p('d')]
    expect(effectiveProjectId(all, 'a')).toBe('c')
    expect([...projectIdsFor(all, 'c')].sort()).toEqual(['a', 'b', 'c'])
    expect([...projectIdsFor(all, 'b')]).toEqual([])
    expect([...projectIdsFor(all, 'd')]).toEqual(['d'])
  })

  it('when redirects form a cycle, then resolution stops instead of looping', () => {
    const all = [p('a', 'b'), p('b', 'a')]
    expect(effectiveProjectId(all, 'a')).toBe('b')
    expect(effectiveProjectId(all, 'b')).toBe('a')
  })
})
