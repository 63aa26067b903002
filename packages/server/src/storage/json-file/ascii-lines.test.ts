import { describe, expect, it } from 'vitest'
import { asciiLines } from './segment-log.js'

describe('asciiLines (events.md E132)', () => {
  it('when lines are written into one buffer, then it equals the joined lines with a final newline', () => {
    const lines = ['{"a":1}', '', '{"b":"\\u00e9 x"}', 'z'.repeat(70_000)]
    expect(asciiLines(lines).equals(Buffer.from(lines.join('\n') + '\n', 'latin1'))).toBe(true)
    expect(asciiLines([]).length).toBe(0)
  })
})
