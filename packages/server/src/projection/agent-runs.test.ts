import type { EventType } from '@hiveboard/shared'
import { describe, expect, it } from 'vitest'
import { AgentState } from './agent-state.js'
import type { EventRecord, StoredEvent } from './stored-event.js'

// Only the fields task runs and the registry read; the rest of a stored event is irrelevant here.
const NO_METADATA = { agent_type: null, agent_version: null, framework: null, runtime: null, sdk_version: null }

function aTaskEvent(seq: number, ts: number, eventType: EventType, taskId: string, runId: string | null) {
  const record = {
    seq,
    ts,
    receivedAt: ts,
    eventType,
    taskId,
    taskRunId: runId,
    projectId: `p-${seq}`,
    actionId: null,
    kind: null,
    environment: 'production',
    group: 'default',
    taskNo: -1,
  } as unknown as EventRecord
  return { record, event: { ...NO_METADATA, payload: null } as unknown as StoredEvent }
}

function current(agent: AgentState) {
  const run = agent.currentRun()
  return run === null ? null : { taskId: run.taskId, projectId: run.projectId, start: run.start }
}

describe('AgentState task runs (events.md E47)', () => {
  it('when closed runs are forgotten as events arrive in any order, then the current run equals a replay of the same events', () => {
    let seed = 11
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    for (let trial = 0; trial < 300; trial++) {
      const events = Array.from({ length: 12 }, (_, i) =>
        aTaskEvent(
          i + 1,
          1_000 + Math.floor(random() * 40) * 10,
          pick<EventType>(['task_started', 'task_started', 'task_completed', 'task_failed']),
          pick(['t1', 't2']),
          pick([null, 'r1', 'r2']),
        ),
      )
      // the incremental agent asks for its current run after every event (closed runs are forgotten as it goes)
      const live = new AgentState('a')
      events.forEach(({ record, event }, i) => {
        live.apply(record, event)
        const replay = new AgentState('a')
        for (const e of events.slice(0, i + 1)) replay.apply(e.record, e.event)
        expect(current(live), `trial ${trial}, after event ${i + 1}`).toEqual(current(replay))
      })
    }
  })

  it('when a run ended on its own after its task ended, then a later start between the two stays closed', () => {
    const agent = new AgentState('a')
    const arrivals = [
      aTaskEvent(1, 100, 'task_started', 't1', 'r1'),
      aTaskEvent(2, 400, 'task_completed', 't1', 'r1'), // the run's own end
      aTaskEvent(3, 200, 'task_completed', 't1', null), // the task's end, before the run's
    ]
    for (const { record, event } of arrivals) agent.apply(record, event)
    expect(current(agent)).toBeNull() // closed; the run's bookkeeping must survive this call
    const late = aTaskEvent(4, 300, 'task_started', 't1', 'r1') // after the task's end, before the run's own end
    agent.apply(late.record, late.event)
    expect(current(agent)).toBeNull()
  })
})
