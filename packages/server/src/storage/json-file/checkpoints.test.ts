import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Namespace } from '../../projection/namespace.js'
import { writeAgentsCheckpoint, writeAgentsSnapshot } from './checkpoints.js'

let dir: string
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('writeAgentsSnapshot (events.md E133)', () => {
  it('when an older snapshot arrives after a newer one was written, then the newer file stays', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hb-agents-file-'))
    const path = join(dir, 'state/live/agents.json')
    const space = new Namespace('t', 'live')
    await writeAgentsSnapshot(path, space, { watermark: 5, content: 'new\n' })
    // A timer snapshot serialised before a pre-compaction checkpoint, written after it.
    await writeAgentsSnapshot(path, space, { watermark: 3, content: 'old\n' })
    expect(readFileSync(path, 'utf8')).toBe('new\n')
    expect(space.agentsWrittenWatermark).toBe(5)
  })

  it('when a timer snapshot has cleared the dirty flag but is not written yet, then a pre-compaction checkpoint still writes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hb-agents-file-'))
    const path = join(dir, 'state/live/agents.json')
    const space = new Namespace('t', 'live')
    space.agentsWatermark = 7
    space.agentsWrittenWatermark = 3
    space.agentsDirty = false
    await writeAgentsCheckpoint(path, space)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 2, watermark: 7, items: [] })
  })
})
