import type { HourlyRollups } from '../../src/analytics/hourly-rollups.js'

/** The hourly rollups of a namespace as plain sorted data, so two servers' rollups compare with toEqual. */
export function hourlySnapshot(hourly: HourlyRollups): unknown {
  const plain = <T>(hours: Map<number, Map<string, T>>) =>
    [...hours]
      .sort((a, b) => a[0] - b[0])
      .map(([hour, rows]) => ({
        hour: new Date(hour).toISOString(),
        rows: Object.fromEntries([...rows].sort((a, b) => a[0].localeCompare(b[0]))),
      }))
  return { agents: plain(hourly.agentHourly), models: plain(hourly.modelHourly) }
}
