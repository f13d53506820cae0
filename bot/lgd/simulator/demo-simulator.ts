import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { AppError } from '../../errors.js';
import type { LgdMapping } from '../lgd-mapping.js';
import { loadReplay } from '../replay/load-replay.js';
import type { ReplayEvent } from '../replay/replay-event.js';
import { startLgdSimulator, type LgdSimulator } from './lgd-simulator.js';
import type { ReplayPlayer, ReplayPosition } from './replay-player.js';
import { SimState, type SimSnapshot } from './sim-state.js';

/** The file in DATA_DIR that keeps the demo's LGD between runs. */
export const DEMO_LGD_FILE = 'lgd-simulator.json';

/** What the file holds: the simulator's data, where the replay stands, and the demo's Operations Lead. */
interface DemoLgdFile {
  version: 1;
  savedAt: string;
  state: SimSnapshot;
  replay: { simClock: string; remaining: (Omit<ReplayEvent, 'at'> & { at: string })[] } | null;
  /** E-mail of the replay's first team analyst, who is the demo's Operations Lead. */
  lead: string | null;
  /** E-mails of the replay's team analysts (the demo's developers on support); absent in files kept before. */
  team?: string[];
}

/** A running demo LGD. */
export interface DemoSimulator {
  simulator: LgdSimulator;
  /** The demo's Operations Lead (the replay's first team analyst), by e-mail. */
  lead: string | null;
  /** The replay's team analysts by e-mail: the demo's developers on support. */
  team: string[];
  /** True when the run continues a simulated LGD kept from an earlier run. */
  resumed: boolean;
  /** Writes the state once more and stops the simulator. */
  close(): Promise<void>;
}

export interface DemoSimulatorOptions {
  dataDir: string;
  mapping: LgdMapping;
  username: string;
  password: string;
  teamGroup: string | undefined;
  /** DEMO_REPLAY_SPEED. */
  speed: number;
  logger: Logger;
  /** How often changes made by the replay are written (writes the app makes are written before LGD answers them). */
  saveEveryMs?: number;
}

/** Writes `text` to `path` durably: a temporary file, fsynced, renamed over the old one, and the folder fsynced. */
function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

function unreadable(path: string, reason: string): AppError {
  return new AppError(
    'DEMO_LGD_UNREADABLE',
    `The demo's LGD kept in ${path} cannot be read (${reason}). Fix: move that file away to start the demo's LGD afresh from the replay.`,
  );
}

/** The kept demo LGD, or null when there is none (a first run). */
function readFile(path: string): DemoLgdFile | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw unreadable(path, err instanceof Error ? err.message : String(err));
  }
  const f = parsed as Partial<DemoLgdFile> | null;
  if (!f || f.version !== 1 || typeof f.state !== 'object' || !Array.isArray(f.state.incidents)) throw unreadable(path, 'not a demo LGD file of this version');
  return f as DemoLgdFile;
}

function positionOf(r: NonNullable<DemoLgdFile['replay']>): ReplayPosition {
  return { simClock: new Date(r.simClock), remaining: r.remaining.map((e) => ({ ...e, at: new Date(e.at) }) as ReplayEvent) };
}

/**
 * The demo's LGD: the simulator replaying the UCI incident log, kept in DATA_DIR so that a
 * restart continues where the last run stopped (the tickets, the notes and assignments the app
 * wrote, the replay's position) instead of replaying afresh and undoing what was decided.
 * A write the app makes is on disk before the simulator answers it; the replay's own changes are
 * written every `saveEveryMs`, and everything on close.
 */
export async function startDemoSimulator(o: DemoSimulatorOptions): Promise<DemoSimulator> {
  const path = join(o.dataDir, DEMO_LGD_FILE);
  const log = o.logger;
  const kept = readFile(path);
  const state = new SimState();
  if (kept) state.load(kept.state);
  let player: ReplayPlayer | null = null;
  let lead = kept?.lead ?? null;
  let team = kept?.team ?? [];
  let savedAt = -1;
  const save = (): void => {
    const p = player?.position() ?? null;
    const file: DemoLgdFile = {
      version: 1,
      savedAt: new Date().toISOString(),
      state: state.snapshot(),
      replay: p && { simClock: p.simClock.toISOString(), remaining: p.remaining.map((e) => ({ ...e, at: e.at.toISOString() })) },
      lead,
      team,
    };
    writeDurably(path, JSON.stringify(file));
    savedAt = state.changes;
  };
  const simulator = await startLgdSimulator({ mapping: o.mapping, username: o.username, password: o.password, logger: log, state, onWrite: save });
  try {
    if (kept) {
      if (kept.replay) player = simulator.resumeReplay(positionOf(kept.replay), { speed: o.speed });
      log.info({ path, tickets: state.incidents.size, pending: player?.pending ?? 0 }, `demo LGD continues where it stopped (kept in ${path})`);
    } else {
      const replay = await loadReplay({ teamGroup: o.teamGroup });
      player = simulator.loadReplay(replay, { speed: o.speed });
      lead = replay.analysts.find((a) => a.team)?.email ?? null;
      team = replay.analysts.filter((a) => a.team).map((a) => a.email);
    }
    save();
  } catch (err) {
    await simulator.close();
    throw err;
  }
  const timer = setInterval(() => {
    if (state.changes === savedAt) return;
    try {
      save();
    } catch (err) {
      log.error({ err, path }, 'could not keep the demo LGD on disk; trying again shortly');
    }
  }, o.saveEveryMs ?? 1000);
  timer.unref();
  return {
    simulator,
    lead,
    team,
    resumed: kept !== null,
    async close() {
      clearInterval(timer);
      player?.stop();
      try {
        save();
      } finally {
        await simulator.close();
      }
    },
  };
}
