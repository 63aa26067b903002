// Runs every vitest project and prints the one line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

const reportPath = '.cache/vitest.json'
const summaryPath = '.cache/test-summary.txt'
mkdirSync('.cache', { recursive: true })
rmSync(reportPath, { force: true })

const run = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportPath}`],
  { stdio: 'inherit' },
)

let passed = 0
let failed = 1
let skipped = 0
if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'))
  passed = report.numPassedTests ?? 0
  failed = report.numFailedTests ?? 0
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  // A suite that failed to load counts, but only when no test failed on its own.
  if (failed === 0) failed = report.numFailedTestSuites ?? 0
}
if (run.status !== 0 && failed === 0) failed = 1
if (skipped > 0) console.log(`${skipped} skipped`)
const line = `${passed} passed, ${failed} failed`
writeFileSync(summaryPath, line + '\n')
console.log(line)
process.exit(failed > 0 ? 1 : 0)
