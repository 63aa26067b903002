import { randomUUID } from 'node:crypto'
import type { IngestBody, IngestEnvelope, IngestEvent } from '@hiveboard/shared'

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
