import type { Logger } from 'pino';
import type { Replay, ReplayEvent } from '../replay/replay-event.js';
import { stableGuid, type SimState } from './sim-state.js';

export interface ReplayPlayOptions {
  /** How much faster than real time future events play; 0 = do not play them. */
  speed: number;
  /** Server clock; future events are stamped with it. */
  now?: () => Date;
  logger?: Logger;
}

/** Where a replay stands, to be kept and played on from after a restart. */
export interface ReplayPosition {
  /** The replay time reached: events up to it have been applied. */
  simClock: Date;
  /** The future events not yet applied, in time order. */
  remaining: ReplayEvent[];
}

/** A running replay: stop() clears its timer. */
export interface ReplayPlayer {
  /** Future events not yet applied. */
  readonly pending: number;
  /** Where the replay stands now. */
  position(): ReplayPosition;
  /** Resolves when every future event has been applied (never, when speed is 0 and events remain). */
  readonly done: Promise<void>;
  stop(): void;
}

const MAX_TIMEOUT = 2 ** 31 - 1;

/** Seeds groups and analysts, applies the history at once (stamped with each event's time), then plays the future forward. */
export function playReplay(state: SimState, replay: Replay, opts: ReplayPlayOptions): ReplayPlayer {
  for (const g of replay.groups) if (!state.groupByTitle(g.title)) state.addGroup(g.title, { guid: stableGuid(`group:${g.title}`) });
  for (const a of replay.analysts) if (!state.analystByName(a.name)) state.addAnalyst({ name: a.name, title: a.title, email: a.email, guid: stableGuid(`analyst:${a.name}`) });
  for (const e of replay.history) applyEvent(state, e, undefined, opts.logger);
  return playFuture(state, replay.future, (opts.now ?? (() => new Date()))(), opts);
}

/**
 * Plays on a replay kept from an earlier run: its state already holds everything applied, so only
 * the remaining events play, from the replay time reached (time the app was stopped does not count).
 */
export function resumeReplay(state: SimState, position: ReplayPosition, opts: ReplayPlayOptions): ReplayPlayer {
  return playFuture(state, position.remaining, position.simClock, opts);
}

function applyEvent(state: SimState, e: ReplayEvent, at: Date | undefined, logger: Logger | undefined): void {
  try {
    state.applyReplayEvent(e, at === undefined ? {} : { at });
  } catch (err) {
    logger?.warn({ err, ticketId: e.ticketId, kind: e.kind }, 'replay event not applied');
  }
}

/** Plays events forward from replay time `simStartAt`, which is now on the real clock. */
function playFuture(state: SimState, events: readonly ReplayEvent[], simStartAt: Date, opts: ReplayPlayOptions): ReplayPlayer {
  const now = opts.now ?? (() => new Date());
  const apply = (e: ReplayEvent, at: Date): void => applyEvent(state, e, at, opts.logger);
  const future = [...events].sort((a, b) => a.at.getTime() - b.at.getTime());
  // The replay's timeline starts at simStartAt; timers run on the real clock.
  const simStart = simStartAt.getTime();
  const realStart = Date.now();
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const dueAt = (e: ReplayEvent): number => realStart + (e.at.getTime() - simStart) / opts.speed;
  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const t = Date.now();
    while (next < future.length && dueAt(future[next] as ReplayEvent) <= t) apply(future[next++] as ReplayEvent, now());
    schedule();
  };
  const schedule = (): void => {
    const e = future[next];
    if (!e) {
      resolveDone();
      return;
    }
    timer = setTimeout(tick, Math.min(MAX_TIMEOUT, Math.max(0, dueAt(e) - Date.now())));
    timer.unref();
  };
  if (opts.speed > 0) schedule();
  else if (future.length === 0) resolveDone();

  return {
    get pending() {
      return future.length - next;
    },
    position() {
      const played = opts.speed > 0 ? (Date.now() - realStart) * opts.speed : 0;
      // Never behind the last applied event, so a resume does not apply it twice.
      const last = next > 0 ? (future[next - 1] as ReplayEvent).at.getTime() : simStart;
      return { simClock: new Date(Math.max(simStart + played, last)), remaining: future.slice(next) };
    },
    done,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
