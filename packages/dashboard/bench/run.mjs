// Dashboard figures (dashboard.md D69, D70): JS/CSS gzip size of the build and first meaningful paint with
// 200 agents and 10,000 events, measured by the browser perf test in a real chromium against a real server.
// Usage: pnpm --filter @hiveboard/dashboard bench   (exits 1 when a target is missed)
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../../..')
const staticDir = join(here, '../dist/static')

function gzipOf(dir, ext) {
  let total = 0
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) total += gzipOf(path, ext)
    else if (name.endsWith(ext)) total += gzipSync(readFileSync(path)).length
  }
  return total
}

const build = spawnSync('pnpm', ['--filter', '@hiveboard/dashboard', 'build'], { cwd: root, stdio: 'inherit' })
if (build.status !== 0) process.exit(build.status ?? 1)
const fmpFile = join(here, '../bench-results/fmp.json')
rmSync(fmpFile, { force: true })
const test = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--project', 'dashboard', 'packages/dashboard/test/browser/perf.test.ts'],
  { cwd: root, stdio: 'inherit' },
)
if (test.status !== 0) process.exit(test.status ?? 1)

const jsKb = gzipOf(join(staticDir, 'js'), '.js') / 1024
const cssKb = gzipOf(join(staticDir, 'css'), '.css') / 1024
if (!existsSync(fmpFile)) {
  console.error('no first-paint figure: chromium was not found (`npm test` installs it, see the README)')
  process.exit(1)
}
const { fmp_ms: fmp, agents } = JSON.parse(readFileSync(fmpFile, 'utf8'))
const rows = [
  ['JS gzip (static/js)', `${jsKb.toFixed(1)} KB`, '150 KB', jsKb <= 150],
  ['CSS gzip (static/css)', `${cssKb.toFixed(1)} KB`, '30 KB', cssKb <= 30],
  [`first meaningful paint, ${agents} agents / 10,000 events`, `${fmp} ms`, '1,500 ms', fmp <= 1500],
]
console.log('\n' + 'figure'.padEnd(52) + 'value'.padStart(12) + 'target'.padStart(12))
for (const [name, value, target, ok] of rows) {
  console.log(name.padEnd(52) + value.padStart(12) + target.padStart(12) + (ok ? '  ok' : '  MISSED'))
}
if (rows.some((r) => !r[3])) process.exit(1)
