import { describe, expect, it } from 'vitest'
import { csvCell, csvFileName, toCsv } from '../src/lib/csv.js'

describe('CSV export (D44 Beyond)', () => {
  it('gives cells starting with = + - @ a leading quote so spreadsheets show them as text', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('a=b')).toBe('a=b')
  })

  it('quotes commas, quotes and newlines, doubling inner quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"')
    expect(csvCell('cr\r')).toBe('"cr\r"')
    expect(csvCell('plain')).toBe('plain')
  })

  it('keeps numbers (negative ones too) as numbers and empties for missing values', () => {
    expect(csvCell(-0.5)).toBe('-0.5')
    expect(csvCell(0)).toBe('0')
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(Number.NaN)).toBe('')
  })

  it('joins rows with CRLF and ends with one', () => {
    expect(
      toCsv([
        ['Model', 'Cost'],
        ['gpt-4o', 0.0123],
        ['-x, y', null],
      ]),
    ).toBe(`Model,Cost\r\ngpt-4o,0.0123\r\n"'-x, y",\r\n`)
  })

  it('names the file after the table and the time', () => {
    expect(csvFileName('By model', new Date('2026-12-01T10:05:59.000Z'))).toBe(
      'hiveboard-by-model-2026-12-01T10-05.csv',
    )
  })
})
