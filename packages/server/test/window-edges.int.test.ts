import { describe, expect, it } from 'vitest'
import { HOUR_MS } from '../src/analytics/bucket-math.js'
import { WindowReader } from '../src/analytics/window-reader.js'
import { ManualClock } from '../src/clock.js'
import { costSummary } from '../src/domains/analytics/cost.js'
import { storedProjectIds } from '../src/domains/projects/project-redirects.js'
import { anEvent, startTestServer, type TestServer } from '../src/testing/index.js'
import { llm } from './analytics-fixture.js'

// Deliberately not on an hour or 5-minute boundary, so every window has ragged edges.
const NOW = Date.parse('2026-02-15T10:17:23.456Z')
const MINUTE = 60_000

async function ingestAt(srv: TestServer, clock: ManualClock, ts: number, agent: string): Promise<void> {
  clock.set(Math.max(ts, clock.now()))
  const timestamp = new Date(ts).toISOString()
  const res = await srv.post('/v1/ingest', {
    envelope: { agent_id: agent },
    events: [
      llm({ model: 'gpt-4o', tokens_in: 100, tokens_out: 10, cost: 0.0125 }, { timestamp, task_id: 't1' }),
      anEvent({ event_type: 'action_failed', timestamp, task_id: 't1', action_id: `a-${ts}` }),
    ],
  })
  expect(res.status).toBe(200)
}

describe('window edges read from the events (rollups hold whole hours only)', () => {
  it('when windows start and end mid-hour, then every figure equals the raw recomputation', async () => {
    const clock = new ManualClock(NOW - 3 * 24 * HOUR_MS)
    const srv = await startTestServer({ clock })
    try {
      for (let ts = NOW - 3 * 24 * HOUR_MS; ts < NOW; ts += 37 * MINUTE) {
        await ingestAt(srv, clock, ts, ts % 2 === 0 ? 'even' : 'odd')
      }
      // A late event still counts everywhere.
      await ingestAt(srv, clock, NOW - 60 * HOUR_MS + 7 * MINUTE, 'late')
      clock.set(NOW)

      const ns = srv.storage.namespace('dev', 'live')
      const rollups = new WindowReader(ns)
      const raw = new WindowReader(ns, true)
      const windows: Array<[number, number]> = [
        [NOW - 7 * 24 * HOUR_MS, NOW + 1],
        [NOW - 24 * HOUR_MS, NOW + 1],
        [NOW - 50 * HOUR_MS - 13 * MINUTE, NOW - 40 * HOUR_MS + 17 * MINUTE],
        [NOW - 30 * HOUR_MS - 3 * MINUTE, NOW - 2 * HOUR_MS - 11 * MINUTE],
        [NOW - 20 * MINUTE - 7, NOW - 3 * MINUTE], // within one hour: no whole hour at all
      ]
      for (const [from, to] of windows) {
        for (const filter of [{}, { agentId: 'odd' }, { model: 'gpt-4o' }, { environment: 'production' }]) {
          expect(rollups.sum(from, to, filter)).toEqual(raw.sum(from, to, filter))
          expect(costSummary(rollups, 'x', from, to, filter, storedProjectIds)).toEqual(
            costSummary(raw, 'x', from, to, filter, storedProjectIds),
          )
        }
      }
      expect(rollups.sum(windows[0]![0], windows[0]![1], {}).calls).toBe(ns.rollups.llmCalls.length)
    } finally {
      await srv.close()
    }
  })
})
