import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildReplay, type ReplayOptions } from './build-replay.js';
import type { Replay } from './replay-event.js';
import { parseUciRows, type UciRow } from './uci-csv.js';

export type { ReplayOptions } from './build-replay.js';

/** The slice shipped with the app (CC BY 4.0, see data/ATTRIBUTION.md). */
export const DEFAULT_SLICE_PATH = fileURLToPath(new URL('./data/incidents-slice.csv.gz', import.meta.url));

/** Parsed slices by path: the file never changes while the process runs. */
const slices = new Map<string, Promise<readonly UciRow[]>>();

/** The rows of a gzip-compressed slice, parsed once per process. */
export function loadSlice(path: string = DEFAULT_SLICE_PATH): Promise<readonly UciRow[]> {
  let slice = slices.get(path);
  if (!slice) {
    slice = readFile(path).then((gz) => Object.freeze(parseUciRows(gunzipSync(gz).toString('utf8'))));
    slices.set(path, slice);
    // a failed read is not cached, so a later call can try again
    slice.catch(() => slices.delete(path));
  }
  return slice;
}

/** The replay of the shipped slice: people, groups, and events shifted so history ends at `now`. */
export async function loadReplay(opts: ReplayOptions & { slicePath?: string } = {}): Promise<Replay> {
  const { slicePath, ...options } = opts;
  return buildReplay(await loadSlice(slicePath), options);
}
