/** A cell value as CSV holds it. */
export type CsvCell = string | number | boolean | null | undefined;

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a text starting with = + - @
 * (or a tab / carriage return) gets a leading apostrophe so a spreadsheet does not run it as a
 * formula. Numbers are written as they are.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV document (RFC 4180, CRLF line ends) from a header row and data rows. */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
