import { randomUUID } from 'node:crypto'
import type { IngestBody, IngestEnvelope, IngestEvent, WireEvent } from '@hiveboard/shared'
import type { StoredEvent } from '../projection/stored-event.js'

export type EventOverrides = Partial<Record<keyof IngestEvent, unknown>> & Record<string, unknown>

/** A valid event with defaults; override only what the test is about (conventions §10). */
export function anEvent(overrides: EventOverrides = {}): IngestEvent {
  return {
    event_id: randomUUID(),
    timestamp: '2026-02-15T10:00:00.000Z',
    event_type: 'heartbeat',
    ...overrides,
  } as IngestEvent
}

export function anEnvelope(overrides: Partial<IngestEnvelope> = {}): IngestEnvelope {
  return {
    agent_id: 'agent-1',
    agent_type: 'worker',
    agent_version: '1.0.0',
    framework: 'custom',
    runtime: 'node-20.20.2',
    sdk_version: 'test-0',
    environment: 'production',
    group: 'default',
    ...overrides,
  }
}

/** `count` heartbeat-free custom events, or the events given. */
export function ingestBody(events: number | IngestEvent[], envelope: Partial<IngestEnvelope> = {}): IngestBody {
  const list =
    typeof events === 'number'
      ? Array.from({ length: events }, (_, i) =>
          anEvent({ event_type: 'custom', payload: { kind: 'note', summary: `event ${i}` } }),
        )
      : events
  return { envelope: anEnvelope(envelope), events: list }
}

/** An API Event object (api.md §4.0) with valid defaults, for unit tests below the HTTP layer. */
export function aWireEvent(overrides: Partial<WireEvent> = {}): WireEvent {
  return {
    event_id: 'e1',
    tenant_id: 'dev',
    agent_id: 'agent-1',
    agent_type: null,
    project_id: null,
    timestamp: '2026-02-15T10:00:00.000Z',
    received_at: '2026-02-15T10:00:00.000Z',
    environment: 'production',
    group: 'default',
    task_id: null,
    task_type: null,
    task_run_id: null,
    correlation_id: null,
    action_id: null,
    parent_action_id: null,
    event_type: 'custom',
    severity: 'info',
    status: null,
    duration_ms: null,
    parent_event_id: null,
    payload: null,
    ...overrides,
  }
}

/** A stored event (events.md E9): the wire event plus storage-only fields. */
export function aStoredEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    ...aWireEvent(),
    key_type: 'live',
    seq: 1,
    agent_version: null,
    framework: null,
    runtime: null,
    sdk_version: null,
    ...overrides,
  }
}
