/** One chromium per test file (toolchain.md): skip without it unless HIVEBOARD_REQUIRE_BROWSER=1. */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBroadcaster, silentLogger, systemClock, testConfig } from '@hiveboard/server'
import { startTestServer, type TestServer } from '@hiveboard/server/testing'
import type { Browser, Page } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'
export const HAS_BROWSER = existsSync(CHROMIUM)
export const REQUIRE_BROWSER = process.env.HIVEBOARD_REQUIRE_BROWSER === '1'
export const PKG = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const DIST = join(PKG, 'dist')
export const SHOTS = join(PKG, 'test-results', 'screenshots')

export const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

/** Whether to run: true with chromium; false (skip) without; throws under HIVEBOARD_REQUIRE_BROWSER=1. */
export function browserAvailable(): boolean {
  if (HAS_BROWSER) return true
  if (REQUIRE_BROWSER) throw new Error(`HIVEBOARD_REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`)
  return false
}

export async function launch(extraArgs: string[] = []): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...extraArgs] })
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false })
}

export function ensureBuilt(): void {
  execFileSync(process.execPath, [join(PKG, 'build.mjs')], { stdio: 'ignore' })
  if (!existsSync(join(DIST, 'static', 'js', 'dashboard.js'))) {
    throw new Error('dashboard not built: run pnpm --filter @hiveboard/dashboard build first')
  }
}

/** A server for the built dashboard with the real /v1/stream broadcaster, so `alert.fired` arrives without polling. */
export function startLiveServer(): Promise<TestServer> {
  return startTestServer({
    config: { dashboard_dir: DIST },
    clock: systemClock,
    broadcaster: createBroadcaster(testConfig({}), silentLogger(), systemClock),
  })
}
