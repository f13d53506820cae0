import { backoffMs } from '../logic/backoff.js';
import { SseParser } from '../logic/sse-parser.js';
import type { ApiClient } from './api-client.js';
import { API_BASE, type LiveEventName, type LiveSettings } from './contract.js';

/** What a view hears: a server event by name, `poll` (time to ask again, when there are no events) or `reconnect` (events resumed: catch up). */
export type LiveTopic = LiveEventName | 'poll' | 'reconnect';
export type LiveListener = (topic: LiveTopic, data: unknown) => void;

/** How changes reach the tab now. */
export type LiveMode = 'connecting' | 'events' | 'polling';

/** After this many failed stream attempts in a row the tab polls instead, trying the stream again now and then. */
const FAILURES_BEFORE_POLLING = 3;
const RETRY_EVENTS_AFTER_MS = 120_000;

/**
 * Live updates: `GET /api/events` read with fetch (EventSource cannot send the token), falling back
 * to polling every `pollSeconds` when the stream cannot be had. Views subscribe and refetch their
 * own data (with If-None-Match) when told.
 */
export class LiveUpdates {
  private listeners = new Set<LiveListener>();
  private modeListeners = new Set<(m: LiveMode) => void>();
  private current: LiveMode = 'connecting';
  private failures = 0;
  private stopped = false;
  private abort: AbortController | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly api: ApiClient,
    private readonly settings: LiveSettings,
  ) {}

  get mode(): LiveMode {
    return this.current;
  }

  start(): void {
    this.stopped = false;
    if (this.settings.events) void this.connect();
    else this.startPolling();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    this.stopPolling();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  subscribe(fn: LiveListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onMode(fn: (m: LiveMode) => void): () => void {
    this.modeListeners.add(fn);
    return () => this.modeListeners.delete(fn);
  }

  private setMode(m: LiveMode): void {
    if (m === this.current) return;
    this.current = m;
    for (const fn of this.modeListeners) fn(m);
  }

  private emit(topic: LiveTopic, data: unknown): void {
    for (const fn of this.listeners) {
      try {
        fn(topic, data);
      } catch (err) {
        console.error('LGD Support: a live-update listener failed', err);
      }
    }
  }

  private startPolling(): void {
    this.setMode('polling');
    if (!this.pollTimer) this.pollTimer = setInterval(() => this.emit('poll', null), Math.max(2, this.settings.pollSeconds) * 1000);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.abort = new AbortController();
    let heard = false;
    try {
      const res = await fetch(`${API_BASE}/events`, {
        headers: { ...(await this.api.headers()), Accept: 'text/event-stream' },
        signal: this.abort.signal,
        cache: 'no-store',
      });
      if (!res.ok || !res.body || !(res.headers.get('Content-Type') ?? '').includes('text/event-stream')) {
        throw new Error(`the event stream answered ${res.status}`);
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const ev of parser.push(value)) {
          let data: unknown = null;
          try {
            data = JSON.parse(ev.data);
          } catch (err) {
            console.warn('LGD Support: an event with unreadable data', ev.event, err);
            continue;
          }
          if (ev.event === 'hello') {
            heard = true;
            this.failures = 0;
            this.stopPolling();
            this.setMode('events');
            this.emit('reconnect', data);
          } else {
            this.emit(ev.event as LiveTopic, data);
          }
        }
      }
    } catch (err) {
      if (this.stopped) return;
      console.info('LGD Support: the event stream closed', err);
    }
    if (this.stopped) return;
    this.failures = heard ? 0 : this.failures + 1;
    if (this.failures >= FAILURES_BEFORE_POLLING) {
      this.startPolling();
      this.retryTimer = setTimeout(() => {
        this.failures = FAILURES_BEFORE_POLLING - 1;
        void this.connect();
      }, RETRY_EVENTS_AFTER_MS);
      return;
    }
    if (this.current === 'events') this.setMode('connecting');
    this.retryTimer = setTimeout(() => void this.connect(), heard ? 500 : backoffMs(this.failures));
  }
}
