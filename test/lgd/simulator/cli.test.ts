import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { defaultLgdMapping } from '../../../bot/lgd/lgd-mapping.js';
import { simHttp } from './sim-http.js';

const m = defaultLgdMapping;

describe('npm run simulator (cli.ts)', () => {
  it('prints its base URL, takes LGD_USERNAME / LGD_PASSWORD, serves demo data and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/lgd/simulator/cli.ts', '--port', '0'], {
      env: { ...process.env, LGD_USERNAME: 'cli.user', LGD_PASSWORD: 'cli-pass', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const [first] = (await once(lines, 'line')) as [string];
      expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ServiceDesk\.WebAccess$/);
      const http = simHttp(first);
      expect(await (await http.logon()).json()).toMatchObject({ result: false });
      expect(await (await http.logon('cli.user', 'cli-pass')).json()).toEqual({ result: true });
      const list = await http.list({ class_name: m.classes.incident, attributes: m.incident.id });
      expect(list.objects.length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});

describe('npm run simulator: the hung-write and gateway fault flags', () => {
  it('takes --gateway-error-rate (a proxy answers 502 / 504), --late-apply-rate / --late-apply-ms and --apply-then-gateway-error-rate, and names a bad value', async () => {
    const args = ['--import', 'tsx', 'bot/lgd/simulator/cli.ts', '--port', '0', '--gateway-error-rate', '1', '--late-apply-rate', '0.5', '--late-apply-ms', '1000', '--apply-then-gateway-error-rate', '0.1'];
    const child = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const [first] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const res = await fetch(`${first}/${m.paths.list}`, { headers: { Accept: 'application/json' } });
      expect([502, 504]).toContain(res.status);
      expect(await res.text()).toMatch(/Bad Gateway|Gateway Time-out/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(((await once(child, 'exit')) as [number | null])[0]).toBe(0);

    const bad = spawn(process.execPath, ['--import', 'tsx', 'bot/lgd/simulator/cli.ts', '--port', '0', '--late-apply-rate', '2'], { env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (c: Buffer) => (err += c.toString()));
    expect(((await once(bad, 'exit')) as [number | null])[0]).not.toBe(0);
    expect(err).toContain('late-apply-rate');
  });
});
