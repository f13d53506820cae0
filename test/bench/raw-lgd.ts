/** The baseline of the LGD benches: a raw Web Access session (log-on, GET, JSON.parse) and nothing more. */
import { Agent, request } from 'undici';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';

let agent: Agent | undefined;

const HEADERS = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };

/**
 * Logs on with the simulator's credentials and returns a GET-and-parse function bound to the
 * session: over the platform's fetch() (the baseline as the issue first measured it), or over
 * undici's request on a keep-alive pool, the transport the app's LGD client uses.
 */
export async function rawLgdSession(baseUrl: string, via: 'fetch' | 'undici' = 'fetch'): Promise<(url: string) => Promise<unknown>> {
  const logon = await fetch(`${baseUrl}/${defaultLgdMapping.paths.logon}`, {
    method: 'POST',
    headers: { ...HEADERS, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Ecom_User_ID: 'lgd.service', Ecom_User_Password: 'lgd-simulator' }).toString(),
  });
  await logon.text();
  const cookie = (logon.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  if (via === 'undici') {
    const dispatcher = (agent ??= new Agent());
    return async (url) => {
      const res = await request(url, { headers: { ...HEADERS, Cookie: cookie }, dispatcher });
      return JSON.parse(await res.body.text()) as unknown;
    };
  }
  return async (url) => {
    const res = await fetch(url, { headers: { ...HEADERS, Cookie: cookie }, redirect: 'manual' });
    return JSON.parse(await res.text()) as unknown;
  };
}
