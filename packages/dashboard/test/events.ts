/** Wire events for unit tests: the server's `aWireEvent`, with a fresh id and timestamp each call (dedup tests). */
import { aWireEvent } from '@hiveboard/server/testing'
import type { WireEvent } from '@hiveboard/shared'

let n = 0
export function wireEvent(overrides: Partial<WireEvent> = {}): WireEvent {
  n++
  return aWireEvent({
    event_id: `e-${n}`,
    agent_id: 'bot',
    agent_type: 'worker',
    timestamp: `2026-02-15T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
    ...overrides,
  })
}
