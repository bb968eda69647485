/**
 * CSV (RFC 4180): fields with a comma, double quote, CR or LF are quoted, quotes doubled; records
 * end with CRLF.
 *
 * Formula-injection guard: a spreadsheet runs a cell that starts with = + - @ (and, in some, tab or
 * CR) as a formula, so any *text* cell that starts with one of those is prefixed with a single
 * quote ('), which spreadsheets show as text. Labels are the only free text we export and may come
 * from an imported file, so they are guarded. Numbers we compute ourselves (a negative amount
 * starts with '-') are written as numbers and never prefixed, so they stay numbers.
 */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function escapeCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function cell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  return escapeCsvField(guardFormula(value));
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map((h) => escapeCsvField(h)).join(',')];
  for (const row of rows) lines.push(row.map(cell).join(','));
  return lines.join('\r\n') + '\r\n';
}
