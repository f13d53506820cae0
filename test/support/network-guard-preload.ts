/**
 * `node --import ./test/support/network-guard-preload.ts ...`: the network guard for a whole child
 * process (the app started as `npm start` would, with a telemetry SDK that reaches out on its own).
 * At exit it prints one line, `network-guard: {"refused":[...]}`, naming every destination it refused.
 */
import { writeSync } from 'node:fs';
import { guardNetwork } from './network-guard.js';

const guard = guardNetwork();
process.on('exit', () => {
  const refused = [...new Set(guard.attempts.filter((a) => !a.allowed).map((a) => a.host))];
  // Synchronously: the process is exiting, and a piped stderr writes asynchronously.
  writeSync(2, `network-guard: ${JSON.stringify({ refused })}\n`);
});
