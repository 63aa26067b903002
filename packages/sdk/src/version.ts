declare const __SDK_VERSION__: string | undefined

/** The package version, injected from package.json at build time (tsup/vitest `define`). */
export const PACKAGE_VERSION: string = typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : '0.0.0-dev'

/** Sent as `envelope.sdk_version`. */
export const SDK_VERSION = `loophive-${PACKAGE_VERSION}`

/** `node-20.20.2`, or `bun-…`/`deno-…` under those runtimes. */
export function runtimeName(): string {
  const versions = process.versions as NodeJS.ProcessVersions & { bun?: string; deno?: string }
  if (typeof versions.bun === 'string') return `bun-${versions.bun}`
  if (typeof versions.deno === 'string') return `deno-${versions.deno}`
  return `node-${versions.node}`
}

export const USER_AGENT = `loophive/${PACKAGE_VERSION} node/${process.versions.node}`
