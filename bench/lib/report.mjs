// The benchmark report as a terminal table and as markdown for the README. One row per
// prediction source; skipped and failed sources keep a row with their reason.

const HEADERS = ['source', 'exact@1', 'precision', 'coverage', 'location@1', 'p50 ms', 'p95 ms', 'n', 'next-edit exact@1', 'typing completed', 'cache hit p95 ms'];

const percent = (value) => (value === undefined ? '-' : `${(100 * value).toFixed(1)}%`);
const milliseconds = (value) => (value === undefined ? '-' : value.toFixed(value < 10 ? 1 : 0));

/** The cells of one row, strings only. */
export function rowCells(row) {
  if (row.status !== 'ok') {
    return [row.source, `${row.status}: ${row.reason ?? ''}`, '', '', '', '', '', '', '', '', ''];
  }
  const s = row.summary;
  return [
    row.source,
    percent(s.exactAt1),
    percent(s.precision),
    percent(s.coverage),
    percent(s.locationAt1),
    milliseconds(s.latencyMs.p50),
    milliseconds(s.latencyMs.p95),
    String(s.n),
    percent(s.byKind['next-edit']?.exactAt1),
    percent(s.byKind.typing?.exactAt1),
    row.cacheHits ? `${milliseconds(row.cacheHits.p95Ms)} (n=${row.cacheHits.n})` : '-',
  ];
}

/** A fixed-width table; a skipped row's reason runs across the remaining columns. */
export function formatTable(report) {
  const rows = report.rows.map(rowCells);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.filter((cells) => column === 0 || cells[2] !== '').map((cells) => cells[column].length)),
  );
  const line = (cells) =>
    cells[2] === '' && cells[1] !== ''
      ? `${cells[0].padEnd(widths[0])}  ${cells[1]}`
      : cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  return [
    `Next-edit benchmark: ${report.n} cases (${report.cases}${report.limit ? `, --limit ${report.limit}` : ''})`,
    line(HEADERS),
    ...rows.map(line),
    ...(report.cacheProbe ? [cacheProbeLine(report.cacheProbe)] : []),
  ].join('\n');
}

/** Markdown for README.md: the table, then what each column means. */
export function formatMarkdown(report) {
  const escape = (cell) => cell.replace(/\|/g, '\\|');
  const lines = [
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map((_, column) => (column === 0 ? '---' : '---:')).join(' | ')} |`,
    ...report.rows.map((row) => `| ${rowCells(row).map(escape).join(' | ')} |`),
    ...(report.cacheProbe ? ['', cacheProbeLine(report.cacheProbe)] : []),
  ];
  return [
    `Next-edit benchmark, ${report.n} cases from real npm package diffs (${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}, ${report.date.slice(0, 10)}).`,
    '',
    ...lines,
    '',
    'exact@1: the first suggested edit yields exactly the expected file; precision: the same over cases with a suggestion;',
    'coverage: cases with a suggestion; location@1: the first edit touches the lines of an expected edit;',
    'typing completed: exact@1 over cases where a hunk was typed part-way;',
    'model-unfiltered: the model with every answer shown, no confidence threshold (what it would add if it were trusted);',
    'cache hit p95: typing the first character of a suggested insertion, answered from the cache without a new prediction.',
    '',
  ].join('\n');
}

/** Typing into a shown insertion, measured on the typing cases' documents (ripple cache-probe). */
function cacheProbeLine(probe) {
  return `Typing-through cache hits (${probe.n} typing cases, first character typed into the expected completion): p50 ${probe.p50Ms} ms, p95 ${probe.p95Ms} ms.`;
}
