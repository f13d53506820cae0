/** The baseline of the LGD benches: a raw Web Access session (log-on, GET, JSON.parse) and nothing more. */
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';

const HEADERS = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };

/** Logs on with the simulator's credentials and returns a GET-and-parse function bound to the session. */
export async function rawLgdSession(baseUrl: string): Promise<(url: string) => Promise<unknown>> {
  const logon = await fetch(`${baseUrl}/${defaultLgdMapping.paths.logon}`, {
    method: 'POST',
    headers: { ...HEADERS, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Ecom_User_ID: 'lgd.service', Ecom_User_Password: 'lgd-simulator' }).toString(),
  });
  await logon.text();
  const cookie = (logon.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  return async (url) => {
    const res = await fetch(url, { headers: { ...HEADERS, Cookie: cookie }, redirect: 'manual' });
    return JSON.parse(await res.text()) as unknown;
  };
}
