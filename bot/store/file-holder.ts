import { readdirSync, readlinkSync, realpathSync } from 'node:fs';

/**
 * The id of another process that has `path` open, found through /proc (Linux, same user);
 * null where that cannot be told. Only used to name the holder in a start-up message.
 */
export function processHolding(path: string): number | null {
  let target: string;
  let pids: string[];
  try {
    target = realpathSync(path);
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid);
  } catch {
    return null; // no such file, or no /proc (not Linux): the holder cannot be told
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}
