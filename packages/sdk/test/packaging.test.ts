import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest'
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

// sdk.md §8: publint and @arethetypeswrong/cli on the packed tarball, so ESM + CJS + types stay correct.
// Both read the local .tgz only: no registry access at test time.
describe('packaging lint of the packed tarball', () => {
  let dir = ''
  let tarball = ''
  const bin = (name: string) => join(root, 'node_modules', '.bin', name)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'loophive-pack-'))
    execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: 'pipe' })
    const file = readdirSync(dir).find((f) => f.endsWith('.tgz'))
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball in ${dir}`)
    tarball = join(dir, file)
  })

  afterAll(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true })
  })

  it('publint reports nothing, suggestions included', () => {
    const r = spawnSync(bin('publint'), ['run', tarball, '--strict', '--level', 'suggestion'], { encoding: 'utf8' })
    const output = `${r.stdout}${r.stderr}`
    expect(r.status, output).toBe(0)
    expect(output).toContain('All good!')
  })

  it('are-the-types-wrong finds no problem in any entry point or resolution mode', () => {
    const r = spawnSync(bin('attw'), [tarball, '--format', 'json'], { encoding: 'utf8' })
    const report = JSON.parse(r.stdout) as {
      analysis: { entrypoints: Record<string, unknown>; problems: unknown[] }
    }
    expect(report.analysis.problems, r.stdout.slice(0, 4000)).toEqual([])
    expect(Object.keys(report.analysis.entrypoints)).toEqual(['.', './internal', './package.json'])
    expect(r.status, r.stderr).toBe(0)
  })
})
