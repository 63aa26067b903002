// Writes a bench data folder directly as NDJSON segments in the storage format (events.md E130–E132).
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { once } from 'node:events'

const TICK_MS = 300_000
const MODELS = [
  ['gpt-4o', 2.5, 10],
  ['claude-sonnet-4', 3, 15],
  ['gpt-4o-mini', 0.15, 0.6],
]

/** Deterministic PRNG (mulberry32), so every run builds the same folder. */
function rng(seed) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function generate({ dataDir, endMs, agents = 200, days = 7, target = 1_040_000 }) {
  const projects = JSON.parse(readFileSync(join(dataDir, 'tenants/dev/projects.json'), 'utf8')).items
  const projectId = projects[0].project_id
  const dir = join(dataDir, 'tenants/dev/events/live')
  await mkdir(dir, { recursive: true })
  const random = rng(42)
  const ticks = Math.floor((days * 86_400_000) / TICK_MS)
  const start = endMs - ticks * TICK_MS
  // Heartbeats take one event per agent-tick; tasks (≈6.4 events) fill the rest of the target.
  const taskP = Math.max(0, (target - ticks * agents * 1.05) / (ticks * agents * 6.4))
  let seq = 0
  let stream = null
  let day = ''
  const base = (agent, ts, extra) => ({
    event_id: `e-${seq + 1}`,
    tenant_id: 'dev',
    agent_id: agent,
    agent_type: 'worker',
    project_id: projectId,
    timestamp: new Date(ts).toISOString(),
    received_at: new Date(ts).toISOString(),
    environment: 'production',
    group: 'default',
    task_id: null,
    task_type: null,
    task_run_id: null,
    correlation_id: null,
    action_id: null,
    parent_action_id: null,
    event_type: 'heartbeat',
    severity: 'info',
    status: null,
    duration_ms: null,
    parent_event_id: null,
    payload: null,
    key_type: 'live',
    seq: 0,
    agent_version: '1.0.0',
    framework: 'custom',
    runtime: 'node',
    sdk_version: 'bench',
    ...extra,
  })
  const llm = (agent, ts, task, name) => {
    const [model, inP, outP] = MODELS[Math.floor(random() * MODELS.length)]
    const tokensIn = 200 + Math.floor(random() * 3000)
    const tokensOut = 50 + Math.floor(random() * 800)
    const reported = random() < 0.5
    const cost = Math.round((tokensIn * inP + tokensOut * outP) * (reported ? 1.1 : 1)) / 1e6
    const data = {
      name,
      model,
      tokens_in: tokensIn,
      tokens_out: tokensOut,
      cost,
      cost_source: reported ? 'reported' : 'estimated',
      cost_model_matched: reported ? null : model,
      duration_ms: 300 + Math.floor(random() * 3000),
      prompt_preview: 'Summarise the lead',
    }
    return base(agent, ts, { event_type: 'custom', task_id: task, payload: { kind: 'llm_call', summary: name, data } })
  }
  let total = 0
  let taskNo = 0
  for (let t = 0; t < ticks; t++) {
    const tickStart = start + t * TICK_MS
    const batch = []
    for (let a = 0; a < agents; a++) {
      const agent = `agent-${String(a).padStart(3, '0')}`
      batch.push(base(agent, tickStart + Math.floor(random() * TICK_MS), { payload: { summary: 'alive' } }))
      if (t % 20 === a % 20) {
        const data = { depth: Math.floor(random() * 5), items: [] }
        batch.push(base(agent, tickStart + 1000, { event_type: 'custom', payload: { kind: 'queue_snapshot', summary: 'queue', data } }))
      }
      if (random() >= taskP) continue
      const task = `task-${++taskNo}`
      const t0 = tickStart + Math.floor(random() * (TICK_MS - 120_000))
      const ev = (dt, extra) => base(agent, t0 + dt, { task_id: task, task_type: 'lead', ...extra })
      const failed = random() < 0.1
      const duration = 5_000 + Math.floor(random() * 90_000)
      batch.push(
        ev(0, { event_type: 'task_started' }),
        ev(1000, { event_type: 'action_started', action_id: `${task}-a`, payload: { action_name: 'score' } }),
        llm(agent, t0 + 2000, task, 'score_prompt'),
        ev(3000, { event_type: failed ? 'action_failed' : 'action_completed', action_id: `${task}-a`, duration_ms: 2000, severity: failed ? 'error' : 'info' }),
        llm(agent, t0 + 4000, task, 'summary_prompt'),
        ev(duration, { event_type: failed ? 'task_failed' : 'task_completed', duration_ms: duration, severity: failed ? 'error' : 'info' }),
      )
    }
    batch.sort((x, y) => Date.parse(x.timestamp) - Date.parse(y.timestamp))
    let chunk = ''
    for (const e of batch) {
      const d = e.received_at.slice(0, 10)
      if (d !== day) {
        if (chunk !== '' && stream !== null && !stream.write(chunk)) await once(stream, 'drain')
        chunk = ''
        if (stream !== null) await new Promise((r) => stream.end(r))
        day = d
        stream = createWriteStream(join(dir, `${d}.ndjson`), { flags: 'a' })
      }
      e.seq = ++seq
      e.event_id = `e-${seq}`
      chunk += JSON.stringify(e) + '\n'
    }
    total += batch.length
    if (stream !== null && !stream.write(chunk)) await once(stream, 'drain')
  }
  if (stream !== null) await new Promise((r) => stream.end(r))
  writeFileSync(join(dataDir, '.bench-complete'), JSON.stringify({ events: total, tasks: taskNo, endMs }))
  return { events: total, tasks: taskNo }
}

export function benchFolderReady(dataDir) {
  return existsSync(join(dataDir, '.bench-complete'))
}
