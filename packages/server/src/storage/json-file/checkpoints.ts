import { existsSync, readFileSync } from 'node:fs'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Partition } from '@hiveboard/shared'
import { round6 } from '@hiveboard/shared'
import { emptyAgentHour, emptyModelHour, type AgentHour, type ModelHour } from '../../analytics/hourly-cells.js'
import type { HourlyRollups } from '../../analytics/hourly-rollups.js'
import {
  AGENTS_FILE_VERSION,
  upgradeAgentSnapshot,
  type AgentSnapshot,
  type AgentSnapshotV1,
} from '../../projection/agent-snapshot.js'
import type { Namespace } from '../../projection/namespace.js'
import { atomicWrite } from './atomic-write.js'

/** `state/{live,test}/rollups/` of one namespace (events.md E130). */
export function rollupDir(dataDir: string, tenantId: string, partition: Partition): string {
  return join(dataDir, 'tenants', tenantId, 'state', partition, 'rollups')
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.json$/

type AgentRow = Omit<AgentHour, 'llm_cost_micros'> & { hour: string; agent_id: string; llm_cost: number }
type ModelRow = Omit<ModelHour, 'cost_micros'> & { hour: string; model: string; cost: number }

/** One rollup day file: a derived checkpoint carrying the highest seq it includes (E133). */
interface DayFile {
  version: 1
  day: string
  watermark: number
  agent_hourly: AgentRow[]
  model_hourly: ModelRow[]
}

function dayContent(rollups: HourlyRollups, day: string): DayFile {
  const { agents, models } = rollups.day(day)
  const agentRows: AgentRow[] = []
  for (const [hour, rows] of [...agents].sort((a, b) => a[0] - b[0])) {
    for (const [agentId, row] of rows) {
      const { llm_cost_micros: micros, ...rest } = row
      agentRows.push({ hour: new Date(hour).toISOString(), agent_id: agentId, ...rest, llm_cost: round6(micros / 1e6) })
    }
  }
  const modelRows: ModelRow[] = []
  for (const [hour, rows] of [...models].sort((a, b) => a[0] - b[0])) {
    for (const [model, row] of rows) {
      const { cost_micros: micros, ...rest } = row
      modelRows.push({ hour: new Date(hour).toISOString(), model, ...rest, cost: round6(micros / 1e6) })
    }
  }
  return { version: 1, day, watermark: rollups.watermark, agent_hourly: agentRows, model_hourly: modelRows }
}

/**
 * Writes every dirty day of a namespace atomically (E133, E136) and marks it clean. Not fsync'd per
 * batch: a crash loses at most the lines after the watermark, which start re-applies from the segments.
 */
export async function writeDirtyRollupDays(dir: string, rollups: HourlyRollups): Promise<number> {
  const days = [...rollups.dirtyDays]
  if (days.length === 0) return 0
  await mkdir(dir, { recursive: true })
  for (const day of days) {
    // Captured synchronously before the first await, so the watermark matches the rows written.
    const content = JSON.stringify(dayContent(rollups, day))
    rollups.dirtyDays.delete(day)
    try {
      await atomicWrite(join(dir, `${day}.json`), content + '\n')
    } catch (error) {
      rollups.dirtyDays.add(day)
      throw error
    }
  }
  return days.length
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseDay(text: string, day: string): DayFile {
  const value = JSON.parse(text) as unknown
  if (!isRecord(value) || value['version'] !== 1 || value['day'] !== day) throw new Error('not a rollup day file')
  const { watermark, agent_hourly: agents, model_hourly: models } = value
  if (typeof watermark !== 'number' || !Array.isArray(agents) || !Array.isArray(models)) {
    throw new Error('rollup day file lacks watermark or rows')
  }
  for (const row of (agents as unknown[]).concat(models as unknown[])) {
    if (!isRecord(row) || typeof row['hour'] !== 'string' || Number.isNaN(Date.parse(row['hour']))) {
      throw new Error('rollup row without a valid hour')
    }
  }
  return value as unknown as DayFile
}

export interface LoadedDay {
  day: string
  watermark: number
  agents: Map<number, Map<string, AgentHour>>
  models: Map<number, Map<string, ModelHour>>
}

function toMaps(file: DayFile): LoadedDay {
  const agents = new Map<number, Map<string, AgentHour>>()
  for (const { hour, agent_id: agentId, llm_cost: cost, ...rest } of file.agent_hourly) {
    const at = Date.parse(hour)
    if (!agents.has(at)) agents.set(at, new Map())
    agents.get(at)?.set(agentId, { ...emptyAgentHour(), ...rest, llm_cost_micros: Math.round(cost * 1e6) })
  }
  const models = new Map<number, Map<string, ModelHour>>()
  for (const { hour, model, cost, ...rest } of file.model_hourly) {
    const at = Date.parse(hour)
    if (!models.has(at)) models.set(at, new Map())
    models.get(at)?.set(model, { ...emptyModelHour(), ...rest, cost_micros: Math.round(cost * 1e6) })
  }
  return { day: file.day, watermark: file.watermark, agents, models }
}

/**
 * Reads every day file of a namespace. A corrupt one is reported and skipped, never fatal: its day is
 * then rebuilt from the retained lines (E133 "always rebuildable", E137 step 4).
 */
export async function readRollupDays(
  dir: string,
  onCorrupt: (path: string, error: unknown) => void,
): Promise<LoadedDay[]> {
  if (!existsSync(dir)) return []
  const out: LoadedDay[] = []
  for (const name of (await readdir(dir)).sort()) {
    const match = DAY_FILE.exec(name)
    if (match === null) continue
    const path = join(dir, name)
    try {
      out.push(toMaps(parseDay(readFileSync(path, 'utf8'), match[1] as string)))
    } catch (error) {
      onCorrupt(path, error)
    }
  }
  return out
}

/** E126: deletes whole day files before `firstKeptDay`; returns how many. */
export async function deleteRollupDaysBefore(dir: string, firstKeptDay: string): Promise<number> {
  if (!existsSync(dir)) return 0
  let deleted = 0
  for (const name of await readdir(dir)) {
    const match = DAY_FILE.exec(name)
    if (match === null || (match[1] as string) >= firstKeptDay) continue
    await rm(join(dir, name), { force: true })
    deleted++
  }
  return deleted
}

/**
 * E137 step 4, before the segments are scanned: installs each valid day file, so only lines above its
 * watermark are applied; missing or corrupt days are rebuilt from the retained lines. `frozenBefore` is
 * the tenant's `pruned_before`, exactly as the running server had it.
 */
export async function loadRollupCheckpoints(
  dir: string,
  rollups: HourlyRollups,
  prunedBefore: string | null,
  onCorrupt: (path: string, error: unknown) => void,
): Promise<void> {
  rollups.frozenBefore = prunedBefore === null ? Number.NEGATIVE_INFINITY : Date.parse(prunedBefore)
  for (const day of await readRollupDays(dir, onCorrupt))
    rollups.loadDay(day.day, day.watermark, day.agents, day.models)
}

/** `state/{live,test}/agents.json` (events.md E130). */
export function agentsPath(dataDir: string, tenantId: string, partition: Partition): string {
  return join(dataDir, 'tenants', tenantId, 'state', partition, 'agents.json')
}

/** agents.json content and the watermark it was started at. */
export interface AgentsSnapshot {
  watermark: number
  content: string
}

/**
 * Serialises the registry for agents.json (E133). The file grows with the E47 bookkeeping (never pruned,
 * E45), so this yields to the event loop between groups of agents and may run outside the writer queue:
 * agents may then already hold events above `watermark`, which is harmless because re-applying an event to
 * an agent's registry fields is idempotent (every field is a max, a latest-by-(ts, seq) or a set).
 */
export async function serializeAgents(space: Namespace): Promise<AgentsSnapshot> {
  space.agentsDirty = false
  const watermark = space.agentsWatermark
  const items: string[] = []
  for (const agent of [...space.agents.values()]) {
    items.push(JSON.stringify(agent.toSnapshot()))
    if (items.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  const head = `{"version":${AGENTS_FILE_VERSION},"watermark":${watermark},"items":[\n`
  return { watermark, content: `${head}${items.join(',\n')}\n]}\n` }
}

/**
 * Writes a snapshot atomically, inside the writer queue. An older snapshot never replaces a newer one: the
 * checkpoint written before a compaction must keep covering the lines that compaction removed.
 */
export async function writeAgentsSnapshot(path: string, space: Namespace, snapshot: AgentsSnapshot): Promise<void> {
  if (snapshot.watermark < space.agentsWrittenWatermark) return
  try {
    await mkdir(dirname(path), { recursive: true })
    await atomicWrite(path, snapshot.content)
    space.agentsWrittenWatermark = snapshot.watermark
  } catch (error) {
    space.agentsDirty = true
    throw error
  }
}

/**
 * In the writer queue: agents.json when the registry holds more than the file. Not just the dirty flag: a
 * timer snapshot being serialised has cleared it but is not on disk yet, and a compaction must not wait.
 */
export async function writeAgentsCheckpoint(path: string, space: Namespace): Promise<void> {
  if (space.agentsDirty || space.agentsWrittenWatermark < space.agentsWatermark) {
    await writeAgentsSnapshot(path, space, await serializeAgents(space))
  }
}

/** A missing or corrupt agents.json is rebuilt from the retained lines (E133), never a refusal to start. */
export function loadAgentsCheckpoint(path: string, space: Namespace, onCorrupt: (path: string, e: unknown) => void) {
  if (!existsSync(path)) return
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown
    const version = isRecord(value) ? value['version'] : undefined
    if (!isRecord(value) || (version !== 1 && version !== 2) || typeof value['watermark'] !== 'number') {
      throw new Error('not an agents checkpoint')
    }
    const items = value['items']
    if (!Array.isArray(items) || !items.every((i) => isRecord(i) && typeof i['agent_id'] === 'string')) {
      throw new Error('agents checkpoint without valid items')
    }
    const snapshots =
      version === 1 ? (items as AgentSnapshotV1[]).map(upgradeAgentSnapshot) : (items as AgentSnapshot[])
    space.restoreAgents(snapshots, value['watermark'])
  } catch (error) {
    onCorrupt(path, error)
  }
}

/** Every derived file of one namespace that changed (E133). */
/**
 * In the writer queue: dirty rollup days, and agents.json when `withAgents` (before a compaction, which
 * must find the registry on disk). The timer passes false: it serialised the registry before queueing,
 * and serialising it again here would hold every append for as long as that takes (seconds at 1M events).
 */
export async function checkpointNamespace(dataDir: string, space: Namespace, withAgents = true): Promise<void> {
  await writeDirtyRollupDays(rollupDir(dataDir, space.tenantId, space.partition), space.hourly)
  if (withAgents) await writeAgentsCheckpoint(agentsPath(dataDir, space.tenantId, space.partition), space)
}
