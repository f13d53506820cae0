'use strict';
/**
 * Preload (`NODE_OPTIONS=--require <this file>`): makes every TCP server that would listen on all
 * interfaces listen on 127.0.0.1 instead. The Agents Playground CLI calls `server.listen(port)`
 * with no host, which binds 0.0.0.0/::; it has no option for the address.
 */
const net = globalThis.process.getBuiltinModule('node:net');

const LOOPBACK = '127.0.0.1';
const ALL_INTERFACES = new Set(['0.0.0.0', '::', '']);

/** True for a port given as a number or a numeric string (not a pipe path). */
function isPort(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value));
}

const originalListen = net.Server.prototype.listen;

net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  if (isPort(first) || first === undefined || typeof first === 'function') {
    if (typeof second === 'string' && !ALL_INTERFACES.has(second)) return originalListen.apply(this, args);
    const rest = typeof second === 'string' ? args.slice(2) : args.slice(1);
    const port = typeof first === 'function' || first === undefined ? 0 : first;
    const callback = typeof first === 'function' ? [first] : [];
    return originalListen.call(this, port, LOOPBACK, ...callback, ...rest);
  }
  if (first !== null && typeof first === 'object' && !('path' in first) && !('fd' in first) && !('_handle' in first) && !('handle' in first)) {
    const host = first.host;
    if (host === undefined || ALL_INTERFACES.has(host)) return originalListen.call(this, { ...first, host: LOOPBACK }, ...args.slice(1));
  }
  return originalListen.apply(this, args);
};
