import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/i;

/** Every outgoing connection a guarded process tried, and whether it was let through. */
export interface NetworkGuard {
  readonly attempts: readonly { host: string; port: number | undefined; allowed: boolean }[];
  /** Puts net.Socket back as it was. */
  restore(): void;
}

/**
 * Lets this process open TCP connections to loopback only: any other destination gets a socket
 * error before a packet leaves (the DNS lookup included). For code under test that reaches out on
 * its own, such as a telemetry SDK probing cloud metadata. IPC and Unix sockets pass.
 */
export function guardNetwork(): NetworkGuard {
  const attempts: { host: string; port: number | undefined; allowed: boolean }[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only ever called with .apply(socket, …), its own receiver
  const original = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const opts = (typeof first === 'object' && first !== null ? first : { port: first, host: args[1] }) as { host?: string; port?: number; path?: string };
    if (opts.path) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const host = typeof opts.host === 'string' ? opts.host : 'localhost';
    const allowed = LOOPBACK.test(host);
    attempts.push({ host, port: opts.port === undefined ? undefined : Number(opts.port), allowed });
    if (allowed) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    process.nextTick(() => this.destroy(new Error(`network guard: no connections to ${host} from tests`)));
    return this;
  };
  return {
    attempts,
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}
