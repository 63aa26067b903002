import type { WireEvent } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors/app-error.js'
import { aWireEvent } from '../testing/fixtures.js'
import { agentPasses, alertPasses, eventPasses, keepChannels, parseFilters, type Subscription } from './subscription.js'

const event = (overrides: Partial<WireEvent> = {}): WireEvent =>
  aWireEvent({ agent_id: 'bot', project_id: 'p-1', ...overrides })
const projects = (ref: string) => (ref === 'sales' || ref === 'p-1' ? 'p-1' : undefined)
const sub = (channels: Subscription['channels'], filters: Subscription['filters'] = {}): Subscription => ({
  channels,
  filters,
})

describe('subscription filters (realtime.md R14, R18, R19)', () => {
  it('when channels are given, then unknown names are dropped and the order is canonical', () => {
    expect(keepChannels(['agents', 'nope', 'events', 'events'])).toEqual(['events', 'agents'])
    expect(keepChannels('events')).toBeUndefined()
  })

  it('when filters are valid, then nulls are absent, unknown keys ignored and project slugs resolved', () => {
    expect(
      parseFilters({ project_id: 'sales', group: null, colour: 'red', event_types: ['custom'] }, projects),
    ).toEqual({
      project_id: 'p-1',
      event_types: ['custom'],
    })
  })

  it('when filters are invalid, then every bad field is reported; an unknown project is not_found', () => {
    const bad = () => parseFilters({ environment: 3, event_types: ['nope'], min_severity: 'loud' }, projects)
    expect(bad).toThrow(AppError)
    try {
      bad()
    } catch (error) {
      const fields = ((error as AppError).details as { fields: Array<{ field: string }> }).fields.map((f) => f.field)
      expect(fields).toEqual(['filters.environment', 'filters.event_types', 'filters.min_severity'])
    }
    expect(() => parseFilters({ project_id: 'ghost' }, projects)).toThrow('Project not found')
  })

  it('when events are matched, then every set filter must hold and min_severity ranks', () => {
    const s = sub(['events'], { environment: 'production', min_severity: 'info', project_id: 'p-1' })
    expect(eventPasses(s, event())).toBe(true)
    expect(eventPasses(s, event({ event_type: 'heartbeat', severity: 'debug' }))).toBe(false)
    expect(eventPasses(s, event({ project_id: null }))).toBe(false)
    expect(eventPasses(sub(['agents']), event())).toBe(false)
    expect(eventPasses(sub(['events']), event({ event_type: 'heartbeat', severity: 'debug' }))).toBe(true)
  })

  it('when agents and alerts are matched, then only their own filters apply', () => {
    const change = {
      agent_id: 'bot',
      last_heartbeat: null,
      stuck_threshold_seconds: 300,
      current_task_id: null,
      current_project_id: null,
    }
    expect(agentPasses(sub(['agents'], { environment: 'production', group: 'x' }), change, 'production')).toBe(true)
    expect(agentPasses(sub(['agents'], { environment: 'staging' }), change, 'production')).toBe(false)
    expect(alertPasses(sub(['alerts'], { project_id: 'p-1' }), { project_id: null, related_agent_id: 'bot' })).toBe(
      true,
    )
    expect(alertPasses(sub(['alerts'], { agent_id: 'bot' }), { project_id: null, related_agent_id: null })).toBe(false)
  })
})
