import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (relative: string): unknown => JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8'))

describe('server node flags', () => {
  it('when the root start script launches the server, then it passes every flag of node-args.json', () => {
    const flags = read('../node-args.json') as string[]
    const start = (read('../../../package.json') as { scripts: Record<string, string> }).scripts['start']
    expect(flags.length).toBeGreaterThan(0)
    expect(start).toBe(`node ${flags.join(' ')} packages/server/dist/main.js`)
  })
})
