const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV line (RFC 4180: quoted when needed, quotes doubled, CRLF), as spreadsheets read it. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map((cell) => (NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')}\r\n`;
}
