/**
 * The CSV button of a Cost Explorer table (D44 Beyond): the rows as shown, a cell's `data-csv` (raw number) when it
 * has one, else its text; controls marked `data-csv-skip` and drill-down rows are left out.
 */
import { csvFileName, toCsv, type CsvValue } from '../lib/csv.js'
import { h } from '../lib/h.js'

function cellValue(cell: HTMLTableCellElement): CsvValue {
  const raw = cell.dataset.csv
  if (raw !== undefined) return raw === '' || Number.isNaN(Number(raw)) ? raw : Number(raw)
  const copy = cell.cloneNode(true) as HTMLElement
  for (const skip of copy.querySelectorAll('[data-csv-skip]')) skip.remove()
  return (copy.textContent ?? '').trim()
}

export function tableRows(table: HTMLTableElement): CsvValue[][] {
  return [...table.querySelectorAll<HTMLTableRowElement>(':scope > thead > tr, :scope > tbody > tr')]
    .filter((tr) => !tr.classList.contains('drill-row'))
    .map((tr) => [...tr.cells].filter((c) => !c.hasAttribute('data-csv-skip')).map(cellValue))
}

/** A button downloading `table` (read at click time, so it follows redraws) as `<title>-<time>.csv`. */
export function csvButton(title: string, table: () => HTMLTableElement | null): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'csv-export' }, 'CSV')
  button.setAttribute('aria-label', `Download ${title} as CSV`)
  button.addEventListener('click', () => {
    const t = table()
    if (t === null) return
    const blob = new Blob([toCsv(tableRows(t))], { type: 'text/csv;charset=utf-8' })
    const url = URL.createObjectURL(blob)
    const a = h('a', { href: url, download: csvFileName(title, new Date()) })
    document.body.append(a)
    a.click()
    a.remove()
    setTimeout(() => URL.revokeObjectURL(url), 0)
  })
  return button
}
