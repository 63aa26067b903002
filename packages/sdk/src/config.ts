import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'ini'
import { HiveLoopError } from './errors.js'

export const DEFAULT_ENDPOINT = 'https://mlbackend.net/loophive'

export interface EndpointSources {
  option?: string | undefined
  /** Defaults to `process.cwd()`; injectable for tests. */
  cwd?: string | undefined
  /** Defaults to `os.homedir()`; injectable for tests. */
  home?: string | undefined
  warn?: (message: string) => void
}

export interface ResolvedEndpoint {
  endpoint: string
  source: string
}

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== ''
  } catch {
    return false
  }
}

function stripSlashes(value: string): string {
  return value.replace(/\/+$/, '')
}

/** sdk.md §2: option, ./loophive.cfg, ~/.loophive/loophive.cfg, then the default. Synchronous. */
export function resolveEndpoint(sources: EndpointSources = {}): ResolvedEndpoint {
  const option = sources.option?.trim()
  if (option !== undefined && option !== '') {
    if (!isHttpUrl(option)) throw new HiveLoopError(`endpoint: not an absolute http(s) URL: '${option}'`)
    return { endpoint: stripSlashes(option), source: 'option' }
  }
  const warn = sources.warn ?? (() => undefined)
  const files = [
    join(sources.cwd ?? process.cwd(), 'loophive.cfg'),
    join(sources.home ?? homedir(), '.loophive', 'loophive.cfg'),
  ]
  for (const file of files) {
    const value = readConfigEndpoint(file, warn)
    if (value !== undefined) return { endpoint: stripSlashes(value), source: file }
  }
  return { endpoint: DEFAULT_ENDPOINT, source: 'default' }
}

/** The usable endpoint of one config file, or undefined (missing: silent; unusable: a warning). */
export function readConfigEndpoint(file: string, warn: (message: string) => void): string | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') warn(`config ${file} skipped: unreadable (${code ?? 'error'})`)
    return undefined
  }
  let section: unknown
  try {
    section = (parse(text) as Record<string, unknown>)['loophive']
  } catch {
    warn(`config ${file} skipped: unparsable`)
    return undefined
  }
  if (typeof section !== 'object' || section === null) {
    warn(`config ${file} skipped: no [loophive] section`)
    return undefined
  }
  let raw: unknown
  for (const [key, value] of Object.entries(section)) if (key.toLowerCase() === 'endpoint') raw = value
  const value = typeof raw === 'string' ? raw.trim() : ''
  if (value === '') {
    warn(`config ${file} skipped: empty endpoint`)
    return undefined
  }
  if (!isHttpUrl(value)) {
    warn(`config ${file} skipped: endpoint is not an absolute http(s) URL`)
    return undefined
  }
  return value
}
