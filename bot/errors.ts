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
