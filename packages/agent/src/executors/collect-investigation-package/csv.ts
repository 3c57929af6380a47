/**
 * RFC 4180 CSV: fields quoted when they hold a comma, quote, CR or LF; quotes doubled; CRLF line
 * ends. Hand-written because no CSV library is installed and the writer side is ten lines.
 */
export type CsvValue = string | number | boolean | null | undefined;

function field(value: CsvValue): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** @example toCsv(['a', 'b'], [[1, 'x,y']]) === 'a,b\r\n1,"x,y"\r\n' */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(field).join(',') + '\r\n').join('');
}
