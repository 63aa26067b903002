import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Namespace } from '../../projection/namespace.js'
import { writeAgentsSnapshot } from './checkpoints.js'

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
})
