/**
 * The catalogue of named errors. Each has a stable `code` for logs and tests, and a
 * `userMessage`: a sentence that helps the person who met it. Logs see `cause`; users never see
 * an internal error's message or stack.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(options?.detail ? `${userMessage} (${options.detail})` : userMessage, { cause: options?.cause });
    this.name = new.target.name;
  }
}

/** Start-up configuration is missing or malformed. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

/** The store refused a read or a write (disk full, read-only, corrupt, server down). */
export class StoreError extends AppError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('STORE_FAILED', 'The app could not save or read its data; nothing was changed.', { ...options, detail });
  }
}

/** The Retry-After (seconds) of an HTTP answer refused because the store refuses writes. */
export const STORE_RETRY_AFTER_SECONDS = 30;

/**
 * MongoDB server error codes with which the server refused an operation as a whole (nothing
 * written): out of disk space, not (or no longer) the primary, shutting down, and Cosmos DB's
 * request-rate limit.
 */
const MONGO_REFUSED_CODES = new Set([14031, 10107, 13435, 13436, 91, 16500]);
/** MongoDB server codes that interrupt an operation that may already have been applied (a step-down, a shutdown mid-write). */
const MONGO_INTERRUPTED_CODES = new Set([189, 11600, 11602]);
/** MongoDB driver errors raised before a request reached any server: nothing was written. */
const MONGO_UNREACHED = new Set(['MongoServerSelectionError', 'MongoNotConnectedError', 'MongoTopologyClosedError']);
/** MongoDB driver errors raised after a request may have reached the server (or was applied but not replicated): its outcome is unknown. */
const MONGO_LOST = new Set(['MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoWriteConcernError']);

/**
 * How the store failed a request, when it is the store itself (not the app's own data):
 * `refused` when it kept nothing (the embedded store's SQLite refusing writes, a MongoDB server that
 * could not be reached or refused the operation), `lost` when the connection broke after the request
 * may have reached MongoDB (it may or may not have kept it). Null for anything else, including a
 * StoreError the app raised about its own data (a ticket that kept changing under contention).
 * MongoDB errors are recognised by name and code, so this module needs no driver.
 */
export function storeTrouble(err: unknown): 'refused' | 'lost' | null {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StoreError) {
      if (e.cause === undefined) return null;
      continue;
    }
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (typeof name !== 'string' || !name.startsWith('Mongo')) continue;
    if (MONGO_UNREACHED.has(name)) return 'refused';
    if (MONGO_LOST.has(name)) return 'lost';
    if (typeof code === 'number' && MONGO_REFUSED_CODES.has(code)) return 'refused';
    if (typeof code === 'number' && MONGO_INTERRUPTED_CODES.has(code)) return 'lost';
    return null;
  }
  return err instanceof StoreError && err.cause !== undefined ? 'refused' : null;
}

/**
 * What a person is told when the store failed the write their request needed (disk full,
 * read-only, server down or unreachable): the app kept nothing of it and says so, or, when the
 * connection broke mid-write, that it cannot tell, instead of a generic failure. Null when the
 * failure was not the store's (see `storeTrouble`).
 */
export function storeRefusalText(err: unknown): string | null {
  switch (storeTrouble(err)) {
    case 'refused':
      return 'The app could not save or read its data; nothing was changed. It cannot save anything right now (its store refuses writes); please try again in a few minutes.';
    case 'lost':
      return 'The app lost contact with its store while saving, so it cannot tell whether your change was kept. Please look at the ticket again in a few minutes and try again if the change is not there.';
    default:
      return null;
  }
}

/** Another running instance holds the embedded store's data folder (its exclusive file lock). */
export class DataDirInUse extends StoreError {
  /** The one line a person starting the app reads: what is in use and what to do. */
  readonly advice: string;

  constructor(
    readonly dataDir: string,
    /** The holding process, when this machine can tell. */
    readonly pid: number | null,
    options?: { cause?: unknown },
  ) {
    const holder = pid === null ? 'another running instance of the app' : `another running instance of the app (pid ${pid})`;
    super(`data folder ${dataDir} is locked by ${holder}`, options);
    this.advice = `The data folder ${dataDir} is in use by ${holder}. Stop that instance, or set DATA_DIR to another folder.`;
  }
}

/** The HTTP port is taken by another process. */
export class PortInUse extends AppError {
  constructor(
    readonly host: string,
    readonly port: number,
    options?: { cause?: unknown },
  ) {
    super(
      'PORT_IN_USE',
      `Port ${port} on ${host} is already in use (another instance of the app, or another program). Set PORT to a free port (PORT=0 picks one), or stop the other instance.`,
      options,
    );
  }
}

/** An HTTP request refused with a 4xx/503 before or while its body is read: the status and the sentence the caller gets. */
export class RequestRefused extends AppError {
  readonly closeConnection: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly status: number,
    code: string,
    message: string,
    options?: {
      cause?: unknown;
      /** Close the connection after answering: the rest of the body is not read. */
      closeConnection?: boolean;
      /** Seconds for a `Retry-After` header (503). */
      retryAfterSeconds?: number;
    },
  ) {
    super(code, message, { cause: options?.cause });
    this.closeConnection = options?.closeConnection ?? false;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** Teams refused a message after the sender's retries, or for a reason retrying cannot fix. */
export class TeamsSendFailed extends AppError {
  constructor(
    readonly statusCode: number | null,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super('TEAMS_SEND_FAILED', 'The message could not be posted in Teams; it will be tried again later.', { ...options, detail });
  }
}

/** The bot may not write to that conversation: it is not installed there, or the user blocked it. */
export class NotInConversation extends AppError {
  constructor(
    readonly conversationId: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super('TEAMS_NOT_IN_CONVERSATION', 'The app is not installed for that person or chat (or was blocked), so it cannot post there.', {
      ...options,
      detail: `${reason} in ${conversationId}`,
    });
  }
}

/** A rota range that is reversed, too long or not made of real dates. */
export class RotaRangeInvalid extends AppError {
  constructor(detail: string) {
    super('ROTA_RANGE_INVALID', 'That rota range is not valid: use YYYY-MM-DD dates, from before to, at most 366 days.', { detail });
  }
}

/** The project backlog did not answer usefully (network, timeout, 429, 5xx): the item is retried. */
export class BacklogUnavailable extends AppError {
  readonly retryable = true;
  /** HTTP status of the answer, when one came. */
  readonly status: number | undefined;
  /** How long the backlog asked us to wait (429/503 Retry-After). */
  readonly retryAfterMs: number | undefined;

  constructor(detail: string, options?: { cause?: unknown; status?: number; retryAfterMs?: number }) {
    super('BACKLOG_UNAVAILABLE', 'The project backlog is not answering right now; the item will be added when it is back.', {
      cause: options?.cause,
      detail,
    });
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The project backlog refused the item (bad token, unknown work item type or area): retrying cannot help. */
export class BacklogRefused extends AppError {
  readonly retryable = false;

  constructor(
    /** HTTP status of the refusal. */
    readonly status: number,
    /** The backlog's own words. */
    readonly backlogMessage: string,
    options?: { cause?: unknown; hint?: string },
  ) {
    super('BACKLOG_REFUSED', `The project backlog refused the item: ${backlogMessage}${options?.hint ? ` (${options.hint})` : ''}`, {
      cause: options?.cause,
      detail: `HTTP ${status}`,
    });
  }
}
