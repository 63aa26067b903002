// Starts the built server as its own process for benchmarks; shared by the ingest and query benches.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Node flags of every launcher of the server (node-args.json; the root `pnpm start` script spells the same).
export const SERVER_NODE_ARGS = JSON.parse(readFileSync(new URL('../node-args.json', import.meta.url), 'utf8'))

export const MAIN = join(dirname(fileURLToPath(import.meta.url)), '../dist/main.js')
export const BENCH_KEY = 'hb_live_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'

/** Resolves once the server logs its URL; `ready_ms` is the server's own figure (storage load included). */
export function startServerProcess(dataDir, extraEnv = {}, nodeArgs = SERVER_NODE_ARGS) {
  const child = spawn(process.execPath, [...nodeArgs, MAIN], {
    env: {
      ...process.env,
      HIVEBOARD_CONFIG: '',
      HIVEBOARD_PORT: '0',
      HIVEBOARD_DATA_DIR: dataDir,
      HIVEBOARD_DEV_KEY: BENCH_KEY,
      HIVEBOARD_LOG_LEVEL: 'info',
      HIVEBOARD_RATE_LIMIT_INGEST_PER_SECOND: '1000000',
      HIVEBOARD_RATE_LIMIT_QUERY_PER_SECOND: '1000000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let buffered = ''
    const onData = (chunk) => {
      buffered += chunk.toString()
      const line = buffered.split('\n').find((l) => l.includes('HiveBoard listening on'))
      if (line === undefined) return
      child.stdout.off('data', onData)
      child.stdout.resume() // keep draining the access log so the pipe never blocks the server
      const { url, ready_ms: readyMs } = JSON.parse(line)
      resolve({ child, url, readyMs })
    }
    child.stdout.on('data', onData)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${buffered.slice(-2000)}`)))
  })
}

export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
  return Math.round(kb / 1024)
}

export async function stopServerProcess(child) {
  if (child.exitCode !== null) return
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
}
