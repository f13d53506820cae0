import { randomBytes } from 'node:crypto';

/** A child object begun by the two-step action form (GET invokeFunction), awaiting its save. */
export interface PendingChild {
  key: string;
  action: string;
  childClass: string;
  parentKey: string;
}

export interface SimSession {
  id: string;
  username: string;
  lastSeen: number;
  timeZoneKey: string | null;
  pending: Map<string, PendingChild>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz012345';

function newSessionId(): string {
  const bytes = randomBytes(24);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** In-memory Web Access sessions with idle expiry. */
export class SessionStore {
  private readonly sessions = new Map<string, SimSession>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  /** Starts a session for a logged-on user. */
  create(username: string): SimSession {
    const s: SimSession = { id: newSessionId(), username, lastSeen: this.now().getTime(), timeZoneKey: null, pending: new Map() };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session with this id (touching it), or null when unknown or idle too long. */
  get(id: string | null): SimSession | null {
    if (!id) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    const t = this.now().getTime();
    if (t - s.lastSeen > this.ttlMs) {
      this.sessions.delete(id);
      return null;
    }
    s.lastSeen = t;
    return s;
  }

  /** Ends one session. */
  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session. */
  clear(): void {
    this.sessions.clear();
  }

  /** How many sessions exist (expired ones included until touched). */
  get size(): number {
    return this.sessions.size;
  }
}
