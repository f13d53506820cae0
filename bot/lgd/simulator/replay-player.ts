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

/** A running replay: stop() clears its timer. */
export interface ReplayPlayer {
  /** Future events not yet applied. */
  readonly pending: number;
  /** Resolves when every future event has been applied (never, when speed is 0 and events remain). */
  readonly done: Promise<void>;
  stop(): void;
}

const MAX_TIMEOUT = 2 ** 31 - 1;

/** Seeds groups and analysts, applies the history at once (stamped with each event's time), then plays the future forward. */
export function playReplay(state: SimState, replay: Replay, opts: ReplayPlayOptions): ReplayPlayer {
  const now = opts.now ?? (() => new Date());
  for (const g of replay.groups) if (!state.groupByTitle(g.title)) state.addGroup(g.title, { guid: stableGuid(`group:${g.title}`) });
  for (const a of replay.analysts) if (!state.analystByName(a.name)) state.addAnalyst({ name: a.name, title: a.title, email: a.email, guid: stableGuid(`analyst:${a.name}`) });
  const apply = (e: ReplayEvent, at?: Date): void => {
    try {
      state.applyReplayEvent(e, at === undefined ? {} : { at });
    } catch (err) {
      opts.logger?.warn({ err, ticketId: e.ticketId, kind: e.kind }, 'replay event not applied');
    }
  };
  for (const e of replay.history) apply(e);

  const future = [...replay.future].sort((a, b) => a.at.getTime() - b.at.getTime());
  // The replay's timeline starts at the server clock's now; timers run on the real clock.
  const simStart = now().getTime();
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
    done,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
