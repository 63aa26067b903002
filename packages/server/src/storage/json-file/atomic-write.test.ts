import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { atomicWrite, WRITE_SLICE_CHARS } from './atomic-write.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hb-atomic-'))
  dirs.push(dir)
  return dir
}

describe('atomicWrite writes large content a slice at a time (E136)', () => {
  it('a file of several slices reads back byte for byte, with a surrogate pair across a slice boundary', async () => {
    // unit WRITE_SLICE_CHARS - 1 is the high half of a pair: a cut there would write two U+FFFD
    const head = 'a'.repeat(WRITE_SLICE_CHARS - 1)
    const content = `${head}\u{1F41D}${'é'.repeat(WRITE_SLICE_CHARS)}${'\u{1F41D}'.repeat(1000)}\n`
    expect(content.charCodeAt(WRITE_SLICE_CHARS - 1)).toBe(0xd83d)
    const path = join(tempDir(), 'agents.json')
    await atomicWrite(path, content)
    expect(readFileSync(path).equals(Buffer.from(content, 'utf8'))).toBe(true)
  })

  it('an empty content gives an empty file, and a second write replaces the first', async () => {
    const path = join(tempDir(), 'state.json')
    await atomicWrite(path, 'x'.repeat(WRITE_SLICE_CHARS + 10))
    await atomicWrite(path, '')
    expect(readFileSync(path, 'utf8')).toBe('')
  })
})
