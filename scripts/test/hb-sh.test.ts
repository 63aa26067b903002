import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * scripts/hb.sh with a fake pnpm on PATH that logs its calls and fails the steps named in FAIL_STEP.
 * Regression: a failing build inside `a && b` did not stop the `set -e` script, so tests ran anyway.
 */
function runHb(task: string, failStep: string) {
  const root = mkdtempSync(join(tmpdir(), 'hb-sh-'))
  mkdirSync(join(root, 'scripts'))
  mkdirSync(join(root, 'bin'))
  copyFileSync('scripts/hb.sh', join(root, 'scripts/hb.sh'))
  writeFileSync(
    join(root, 'scripts/test-summary.mjs'),
    "import { appendFileSync } from 'node:fs'\nappendFileSync('calls.log', 'test-summary\\n')",
  )
  writeFileSync(
    join(root, 'scripts/demo.mjs'),
    "import { appendFileSync } from 'node:fs'\nappendFileSync('calls.log', 'demo\\n')",
  )
  const fakePnpm = join(root, 'bin/pnpm')
  writeFileSync(
    fakePnpm,
    `#!/usr/bin/env bash
if [ "$1" = "--version" ]; then echo 10.34.9; exit 0; fi
echo "pnpm $*" >> calls.log
case "$*" in *"$FAIL_STEP"*) exit 1 ;; esac
exit 0
`,
  )
  chmodSync(fakePnpm, 0o755)
  const result = spawnSync('bash', ['scripts/hb.sh', task], {
    cwd: root,
    env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env['PATH'] ?? ''}`, FAIL_STEP: failStep },
    encoding: 'utf8',
  })
  const calls = readFileSync(join(root, 'calls.log'), 'utf8').trim().split('\n')
  return { status: result.status, calls }
}

describe('scripts/hb.sh', () => {
  it('when the build fails, then npm test stops with an error and runs no tests', () => {
    const { status, calls } = runHb('test', 'run build')
    expect(status).not.toBe(0)
    expect(calls).toEqual(['pnpm install --frozen-lockfile', 'pnpm run build'])
  })

  it('when the typecheck fails, then no tests run', () => {
    const { status, calls } = runHb('test', 'run typecheck')
    expect(status).not.toBe(0)
    expect(calls).not.toContain('test-summary')
  })

  it('when everything passes, then it installs, builds, typechecks, then runs the test summary', () => {
    const { status, calls } = runHb('test', 'nothing-fails')
    expect(status).toBe(0)
    expect(calls).toEqual(['pnpm install --frozen-lockfile', 'pnpm run build', 'pnpm run typecheck', 'test-summary'])
  })

  it('when the demo build fails, then the demo does not start', () => {
    const { status, calls } = runHb('demo', 'run build')
    expect(status).not.toBe(0)
    expect(calls).not.toContain('demo')
  })
})
