// `pnpm --filter @hiveboard/server bench:write` (after `pnpm build`): the longest event-loop block while a 5.4 M
// character JSON file (the size of agents.json at 1M events) is written, with `writeFile(string)` against the
// server's sliced atomicWrite. Four interleaved rounds; prints JSON.
import { mkdtempSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { atomicWrite } from '../dist/storage/json-file/atomic-write.js'

const dir = mkdtempSync(join(tmpdir(), 'hb-bench-write-'))
const agents = []
for (let i = 0; i < 200; i++) {
  const runs = Array.from({ length: 300 }, (_, j) => [
    `task-${i}-${j}`,
    'completed',
    1764600000000 + j,
    'é',
    'x'.repeat(40),
  ])
  agents.push({ id: `agent-${i}`, runs })
}
const content = JSON.stringify({ version: 2, agents })

/** The longest event-loop iteration (a setImmediate loop) while `write` runs, and its total time. */
async function measure(write) {
  let worst = 0
  let last = performance.now()
  let running = true
  const tick = () => {
    const now = performance.now()
    worst = Math.max(worst, now - last)
    last = now
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  await new Promise((r) => setTimeout(r, 20))
  worst = 0
  const started = performance.now()
  await write()
  const total = performance.now() - started
  running = false
  await new Promise((r) => setImmediate(r))
  return { longest_block_ms: +worst.toFixed(2), total_ms: +total.toFixed(1) }
}

async function writeWhole(path) {
  const handle = await open(path, 'w')
  try {
    await handle.writeFile(content, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}

const rounds = []
try {
  for (let i = 0; i < 4; i++) {
    rounds.push({
      write_file: await measure(() => writeWhole(join(dir, 'whole.json'))),
      atomic_write: await measure(() => atomicWrite(join(dir, 'sliced.json'), content)),
    })
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
console.log(JSON.stringify({ characters: content.length, rounds }, null, 2))
