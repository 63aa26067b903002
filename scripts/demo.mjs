#!/usr/bin/env node
// `npm run demo` → scripts/hb.sh demo (install + build) → here: the server on the embedded JSON storage in
// data/, then the simulated fleet against it, then the dashboard URL. Ctrl+C stops both, fleet first so it
// flushes. Data and the generated dev key (data/.dev-key) persist between runs; --reset wipes them.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

// Node flags of every launcher of the server (node-args.json; the root `pnpm start` script spells the same).
const SERVER_NODE_ARGS = JSON.parse(readFileSync(new URL('../packages/server/node-args.json', import.meta.url), 'utf8'))

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const SERVER = join(ROOT, 'packages/server/dist/main.js')
const FLEET = join(ROOT, 'packages/demo/dist/cli.js')
const READY_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 12_000

const HELP = `Usage: npm run demo -- [options]

Starts the HiveBoard server (JSON storage in data/) and a simulated fleet of six agents, then prints the
dashboard URL. Ctrl+C stops everything cleanly.

  --port N        listen on port N (default 8451, or HIVEBOARD_PORT, or "port" in config.json)
  --reset         wipe the data folder (events and the generated dev key) before starting
  --help          show this help
Passed to the fleet (see node packages/demo/dist/cli.js --help):
  --speed N  --agents a,b,c  --duration S  --seed N  --quiet
`

/** A path for messages: relative inside the repo, absolute elsewhere. */
function shown(path) {
  const rel = relative(ROOT, path)
  return rel === '' ? '.' : rel.startsWith('..') ? path : rel
}

let serverLog = null

/** A pino JSON line as its message, anything else as is. */
function pinoMessage(line) {
  try {
    const { msg } = JSON.parse(line)
    return typeof msg === 'string' ? msg : line
  } catch {
    return line
  }
}

function fail(message) {
  console.error(`demo: ${message}`)
  if (serverLog !== null && existsSync(serverLog)) {
    const lines = readFileSync(serverLog, 'utf8').trimEnd().split('\n').slice(-15)
    const tail = lines.map((line) => pinoMessage(line)).join('\n')
    if (tail !== '') console.error(`--- last lines of ${shown(serverLog)} ---\n${tail}`)
  }
  process.exit(1)
}

/** Our own flags; everything else goes to the fleet CLI untouched. */
function parseOwnArgs(argv) {
  const own = { reset: false, port: undefined, help: false, fleetArgs: [] }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--reset') own.reset = true
    else if (arg === '--help' || arg === '-h') own.help = true
    else if (arg === '--port') own.port = argv[++i]
    else if (arg.startsWith('--port=')) own.port = arg.slice('--port='.length)
    else own.fleetArgs.push(arg)
  }
  return own
}

/** The same sources the server reads, in its order: config.json wins, then HIVEBOARD_<KEY>, then defaults. */
function readSettings(own) {
  const explicit = process.env.HIVEBOARD_CONFIG
  const path = explicit === '' ? null : resolve(ROOT, explicit ?? 'config.json')
  let file = {}
  if (path !== null && existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8'))
    } catch (error) {
      fail(`${path} is not valid JSON: ${error.message}`)
    }
  } else if (explicit) fail(`HIVEBOARD_CONFIG: file not found: ${path}`)
  const pick = (key, fallback) => file[key] ?? (process.env[`HIVEBOARD_${key.toUpperCase()}`] || fallback)
  if (own.port !== undefined && file.port !== undefined) {
    console.error(`demo: ${shown(path)} sets port ${file.port}; --port ${own.port} is ignored`)
  }
  const port = Number(file.port ?? own.port ?? pick('port', 8451))
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`invalid port '${own.port ?? file.port}'`)
  if (pick('mode', 'local') !== 'local') fail('the demo needs mode "local" (config.json says otherwise)')
  const configFile = Object.keys(file).length > 0 ? shown(path) : null
  return { port, host: pick('host', '127.0.0.1'), dataDir: resolve(ROOT, pick('data_dir', 'data')), file, configFile }
}

/** config.json's or HIVEBOARD_DEV_KEY's dev key, else one generated once and kept in <data_dir>/.dev-key. */
function devKey(settings) {
  const given = settings.file.dev_key || process.env.HIVEBOARD_DEV_KEY
  if (given) {
    if (!given.startsWith('hb_')) fail('dev_key must start with "hb_"')
    return { key: given, source: settings.file.dev_key ? settings.configFile : 'HIVEBOARD_DEV_KEY' }
  }
  const keyFile = join(settings.dataDir, '.dev-key')
  if (existsSync(keyFile)) {
    const stored = readFileSync(keyFile, 'utf8').trim()
    if (stored.startsWith('hb_')) return { key: stored, source: shown(keyFile) }
  }
  const key = `hb_live_${randomBytes(16).toString('hex')}`
  mkdirSync(settings.dataDir, { recursive: true })
  writeFileSync(keyFile, key + '\n', { mode: 0o600 })
  return { key, source: `${shown(keyFile)} (new)` }
}

function portIsFree(port, host) {
  return new Promise((resolvePromise) => {
    const probe = createServer()
    probe.once('error', (error) => resolvePromise(error.code))
    probe.listen(port, host, () => probe.close(() => resolvePromise(null)))
  })
}

function wipe(dataDir) {
  if (dataDir === ROOT || ROOT.startsWith(dataDir + sep)) fail(`refusing to --reset ${dataDir}: it holds the repo`)
  rmSync(dataDir, { recursive: true, force: true })
  console.error(`demo: --reset: removed ${shown(dataDir)}`)
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null
}

function waitExit(child, timeoutMs) {
  if (exited(child)) return Promise.resolve(true)
  return Promise.race([new Promise((r) => child.once('exit', () => r(true))), sleep(timeoutMs).then(() => false)])
}

async function waitReady(baseUrl, server) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exited(server)) fail(`the server exited (code ${server.exitCode ?? server.signalCode}) before it was ready`)
    try {
      const res = await globalThis.fetch(`${baseUrl}/health/ready`)
      if (res.ok) return
    } catch {
      // Not listening yet.
    }
    await sleep(200)
  }
  fail(`the server was not ready after ${READY_TIMEOUT_MS / 1000} s`)
}

async function main() {
  const own = parseOwnArgs(process.argv.slice(2))
  if (own.help) return void process.stdout.write(HELP)
  for (const file of [SERVER, FLEET]) if (!existsSync(file)) fail(`${shown(file)} is missing: run pnpm run build`)
  const settings = readSettings(own)
  const { port, host, dataDir } = settings
  const taken = await portIsFree(port, host)
  if (taken !== null) {
    fail(
      taken === 'EADDRINUSE'
        ? `port ${port} on ${host} is already in use (another HiveBoard?). Stop it, or run: npm run demo -- --port ${port + 1}`
        : `cannot listen on ${host}:${port} (${taken})`,
    )
  }
  if (own.reset) wipe(dataDir)
  const { key, source } = devKey(settings)
  const env = {
    ...process.env,
    HIVEBOARD_PORT: String(port),
    HIVEBOARD_DATA_DIR: dataDir,
    HIVEBOARD_DEV_KEY: key,
    HIVEBOARD_LOG_LEVEL: process.env.HIVEBOARD_LOG_LEVEL || 'warn',
  }
  // The server's own log goes to a file: with log_level info it writes a line per request.
  mkdirSync(dataDir, { recursive: true })
  const logFile = join(dataDir, 'server.log')
  const logFd = openSync(logFile, 'a')
  // Own process groups: a terminal Ctrl+C reaches only us, and we stop the fleet before the server.
  const server = spawn(process.execPath, [...SERVER_NODE_ARGS, SERVER], {
    cwd: ROOT,
    env,
    stdio: ['ignore', logFd, logFd],
    detached: true,
  })
  closeSync(logFd)
  serverLog = logFile
  const children = [server]
  process.on('exit', () => children.forEach((c) => exited(c) || c.kill('SIGKILL')))
  const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  const baseUrl = `http://${publicHost}:${port}`
  await waitReady(baseUrl, server)
  const fleetArgs = ['--endpoint', baseUrl, '--api-key', key, ...own.fleetArgs]
  const fleet = spawn(process.execPath, [FLEET, ...fleetArgs], { cwd: ROOT, stdio: 'inherit', detached: true })
  children.push(fleet)
  const dashboardBuilt = existsSync(join(ROOT, 'packages/dashboard/dist/index.html'))
  console.log(`HiveBoard ${baseUrl}: data in ${shown(dataDir)}/, key from ${source}, log in ${shown(logFile)}`)
  console.log(`dashboard at ${baseUrl}/static/index.html?apiKey=${key}`)
  if (!dashboardBuilt) console.log('(the dashboard is not built yet; the API answers at the same address)')
  console.log('Ctrl+C stops the fleet and the server. npm run demo -- --reset starts from scratch.')

  let stopping = false
  const stop = async (reason, code) => {
    stopping = true
    console.error(`demo: ${reason}; stopping${exited(fleet) ? '' : ' the fleet, then'} the server…`)
    if (!exited(fleet)) fleet.kill('SIGINT')
    if (!(await waitExit(fleet, STOP_TIMEOUT_MS))) fleet.kill('SIGKILL')
    if (!exited(server)) server.kill('SIGTERM')
    if (!(await waitExit(server, STOP_TIMEOUT_MS))) server.kill('SIGKILL')
    process.exit(code)
  }
  const onSignal = (signal) => {
    if (!stopping) return void stop(signal, 0)
    children.forEach((c) => exited(c) || c.kill('SIGKILL')) // A second Ctrl+C: no more waiting.
    process.exit(130)
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal)
  fleet.once('exit', (code) => stopping || void stop(`the fleet exited (code ${code})`, code ?? 1))
  server.once('exit', (code) => stopping || void stop(`the server exited (code ${code}); see ${shown(logFile)}`, 1))
}

await main()
