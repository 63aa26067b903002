#!/usr/bin/env node
import { helpText, parseCliArgs } from './args.js'
import { startFleet, type Fleet } from './fleet.js'

function stamp(line: string): string {
  return `${new Date().toISOString().slice(11, 19)} ${line}`
}

/** Ctrl+C (or SIGTERM) stops the stories and flushes; a second one exits at once. */
function onSignals(fleet: Fleet): void {
  let signalled = false
  const handler = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130)
    signalled = true
    console.error(stamp(`${signal}: stopping the fleet and flushing (again to force)…`))
    void fleet.stop()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
}

function main(): void {
  const parsed = parseCliArgs(process.argv.slice(2), process.env)
  if (parsed.kind === 'help') {
    process.stdout.write(helpText())
    return
  }
  if (parsed.kind === 'error') {
    console.error(`hiveboard-demo: ${parsed.message}\nRun with --help for usage.`)
    process.exitCode = 2
    return
  }
  const { options } = parsed
  let fleet: Fleet
  try {
    fleet = startFleet({ ...options, log: options.quiet ? undefined : (line) => console.error(stamp(line)) })
  } catch (error) {
    // init() and agent() throw only for invalid options (a malformed key or endpoint).
    console.error(`hiveboard-demo: ${(error as Error).message}`)
    process.exitCode = 2
    return
  }
  const how = options.durationS === undefined ? 'until Ctrl+C' : `for ${options.durationS} s`
  console.error(
    stamp(
      `${fleet.agents.length} agents → ${options.endpoint} at speed ${options.speed} (seed ${options.seed}), ${how}`,
    ),
  )
  console.error(stamp(`agents: ${fleet.agents.join(', ')}`))
  onSignals(fleet)
  void fleet.done.then((result) => {
    console.error(stamp(`stopped: ${result.sent} events sent, ${result.rejected} rejected, ${result.dropped} dropped`))
    process.exit(result.dropped + result.rejected > 0 ? 1 : 0)
  })
}

main()
