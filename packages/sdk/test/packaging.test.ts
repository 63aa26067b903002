import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { reset } from '../src/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))

afterEach(async () => {
  await reset()
})

describe('packaging', () => {
  it('depends only on ini ^6.0.0 and declares its engines', () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as Record<string, unknown>
    expect(pkg['dependencies']).toEqual({ ini: '^6.0.0' })
    expect(pkg['engines']).toEqual({ node: '^20.17.0 || >=22.9.0' })
    expect(pkg['files']).toEqual(['dist'])
  })

  it('dist never references a workspace package', () => {
    for (const file of readdirSync(`${root}/dist`)) {
      expect(readFileSync(`${root}/dist/${file}`, 'utf8'), file).not.toContain('@hiveboard/')
    }
  })

  it('npm pack holds only dist/, README.md, LICENSE and package.json', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
    })
    const packed = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>
    const paths = (packed[0]?.files ?? []).map((f) => f.path)
    expect(paths.every((p) => p.startsWith('dist/') || ['README.md', 'LICENSE', 'package.json'].includes(p))).toBe(true)
    expect(paths).toEqual(
      expect.arrayContaining([
        'README.md',
        'LICENSE',
        'package.json',
        'dist/index.js',
        'dist/index.cjs',
        'dist/index.d.ts',
        'dist/index.d.cts',
      ]),
    )
  })
})
