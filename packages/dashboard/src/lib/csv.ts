/**
 * CSV export (dashboard.md D44 Beyond): RFC 4180 quoting, and formula neutralising — a cell starting with `=`, `+`,
 * `-` or `@` gets a leading `'` so a spreadsheet shows it as text instead of running it. Pure.
 */
export type CsvValue = string | number | null | undefined

const FORMULA_START = /^[=+\-@]/
const NEEDS_QUOTES = /[",\r\n]/

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  // Numbers are data, not formulas: a negative amount stays a number.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const safe = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

/** A file name from a title and a time: `hiveboard-cost-by-model-2026-12-01T10-00.csv`. */
export function csvFileName(title: string, at: Date): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `hiveboard-${slug}-${at.toISOString().slice(0, 16).replace(':', '-')}.csv`
}
