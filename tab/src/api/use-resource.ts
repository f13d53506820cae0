import { useCallback, useEffect, useRef, useState } from 'react';
import { backoffMs } from '../logic/backoff.js';
import { ApiFailure } from './api-client.js';
import { useApp } from '../app-context.js';
import type { LiveTopic } from './live-updates.js';

/** A view's data from one GET route, kept across failures. */
export interface Resource<T> {
  data: T | null;
  /** The last failure, while it lasts (data may still be there: the last good copy). */
  error: ApiFailure | null;
  loading: boolean;
  /** When the data was last confirmed by the server. */
  updatedAt: Date | null;
  /** When the next automatic retry happens (ms since epoch), while retrying. */
  retryAt: number | null;
  reload(): void;
  /** Changes the local copy (e.g. a row an action returned) until the next fetch. */
  update(fn: (data: T) => T): void;
}

interface State<T> {
  /** The path this state belongs to: a state of another path is no state at all. */
  path: string | null;
  data: T | null;
  error: ApiFailure | null;
  loading: boolean;
  updatedAt: Date | null;
  retryAt: number | null;
}

const fresh = <T>(path: string | null): State<T> => ({ path, data: null, error: null, loading: path !== null, updatedAt: null, retryAt: null });

/**
 * Loads `path` and keeps it fresh: refetches (If-None-Match) when a live topic it cares about
 * fires, on `poll` and on `reconnect`; on a failure it keeps the last data and retries with backoff
 * when retrying can help. `path` null loads nothing.
 */
export function useResource<T>(path: string | null, topics: readonly LiveTopic[] = []): Resource<T> {
  const { api, live } = useApp();
  const [raw, setState] = useState<State<T>>(() => fresh(path));
  const state = raw.path === path ? raw : fresh<T>(path);
  const etag = useRef<{ path: string | null; value: string | null }>({ path, value: null });
  const attempt = useRef(0);
  const retryTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef<string | null>(null);
  const again = useRef(false);
  const loadRef = useRef<() => Promise<void>>(async () => {});
  const topicKey = topics.join(',');

  const load = useCallback(async (): Promise<void> => {
    if (path === null) return;
    if (inFlight.current === path) {
      again.current = true;
      return;
    }
    inFlight.current = path;
    if (retryTimer.current) clearTimeout(retryTimer.current);
    const tag = etag.current.path === path ? etag.current.value : null;
    try {
      const r = await api.get<T>(path, tag);
      if (r.kind === 'data') etag.current = { path, value: r.etag };
      attempt.current = 0;
      setState((s) => ({
        ...(s.path === path ? s : fresh<T>(path)),
        data: r.kind === 'data' ? r.data : s.path === path ? s.data : null,
        error: null,
        loading: false,
        retryAt: null,
        updatedAt: new Date(),
      }));
    } catch (err) {
      const failure = err instanceof ApiFailure ? err : new ApiFailure(0, null, String(err));
      let retryAt: number | null = null;
      if (failure.retryable) {
        const wait = backoffMs(attempt.current++);
        retryAt = Date.now() + wait;
        retryTimer.current = setTimeout(() => void loadRef.current(), wait);
      }
      setState((s) => ({ ...(s.path === path ? s : fresh<T>(path)), error: failure, loading: false, retryAt }));
    } finally {
      inFlight.current = null;
      if (again.current) {
        again.current = false;
        void loadRef.current();
      }
    }
  }, [api, path]);

  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  useEffect(() => {
    attempt.current = 0;
    void load();
    return () => {
      if (retryTimer.current) clearTimeout(retryTimer.current);
      if (debounce.current) clearTimeout(debounce.current);
    };
  }, [load]);

  useEffect(() => {
    const wanted = new Set(topicKey.split(',').filter(Boolean));
    return live.subscribe((topic) => {
      if (topic !== 'poll' && topic !== 'reconnect' && !wanted.has(topic)) return;
      if (debounce.current) clearTimeout(debounce.current);
      debounce.current = setTimeout(() => void loadRef.current(), topic === 'poll' ? 0 : 250);
    });
  }, [live, topicKey]);

  const reload = useCallback(() => {
    attempt.current = 0;
    setState((s) => ({ ...s, loading: true }));
    void loadRef.current();
  }, []);

  const update = useCallback(
    (fn: (d: T) => T) => {
      setState((s) => (s.path !== path || s.data === null ? s : { ...s, data: fn(s.data) }));
      // The local copy no longer matches the server's etag: the next fetch must bring the whole answer.
      etag.current = { path, value: null };
    },
    [path],
  );

  return { data: state.data, error: state.error, loading: state.loading, updatedAt: state.updatedAt, retryAt: state.retryAt, reload, update };
}
