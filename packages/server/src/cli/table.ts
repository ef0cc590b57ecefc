/**
 * Rows as an aligned text table, columns two spaces apart; the last column is not padded.
 *
 * @example
 * formatTable(['ID', 'NAME'], [['1', 'huda']])
 * // ID  NAME
 * // 1   huda
 */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
