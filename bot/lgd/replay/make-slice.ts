/**
 * Dev-only: cut the replay's slice out of the full UCI incident log (not used at run time).
 *
 *   unzip incident_event_log.zip -d /tmp/uci
 *   npx tsx bot/lgd/replay/make-slice.ts /tmp/uci/incident_event_log.csv ["Group 25"]
 *
 * Keeps every row (all 36 columns, file order) of every incident that was ever in the group and
 * writes them gzip-compressed to data/incidents-slice.csv.gz next to this file.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parseCsv, ReplayDataError } from './uci-csv.js';

/** Default source group; see data/ATTRIBUTION.md for why this one. */
export const SLICE_GROUP = 'Group 25';

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The slice as CSV text: the header and every row of every incident ever in `group`. */
export function sliceCsv(csv: string, group: string): { text: string; incidents: number; rows: number } {
  const [header, ...records] = parseCsv(csv);
  if (!header) throw new ReplayDataError('empty CSV');
  const numberAt = header.indexOf('number');
  const groupAt = header.indexOf('assignment_group');
  if (numberAt < 0 || groupAt < 0) throw new ReplayDataError('no number or assignment_group column');
  const wanted = new Set(records.filter((r) => r[groupAt] === group).map((r) => r[numberAt]));
  const kept = records.filter((r) => wanted.has(r[numberAt]));
  const lines = [header, ...kept].map((r) => r.map(csvField).join(','));
  return { text: `${lines.join('\n')}\n`, incidents: wanted.size, rows: kept.length };
}

function main(argv: string[]): void {
  const [input, group = SLICE_GROUP] = argv;
  if (!input) throw new Error('usage: tsx bot/lgd/replay/make-slice.ts <incident_event_log.csv> ["Group 25"]');
  const slice = sliceCsv(readFileSync(input, 'utf8'), group);
  const out = fileURLToPath(new URL('./data/incidents-slice.csv.gz', import.meta.url));
  const gz = gzipSync(Buffer.from(slice.text, 'utf8'), { level: 9 });
  writeFileSync(out, gz);
  console.log(`${group}: ${slice.incidents} incidents, ${slice.rows} rows, ${gz.length} bytes → ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
