import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  LgdBadResponse,
  LgdRefused,
  LgdSessionLost,
  LgdUnavailable,
  describeRequest,
} from '../../../bot/lgd/client/lgd-errors.js';
import { LgdHttp, describeAnswer, interpretJson, type LgdHttpRequest, type LgdRawAnswer } from '../../../bot/lgd/client/lgd-http.js';
import { fetchTransport } from '../../../bot/lgd/client/lgd-transport.js';

const http = new LgdHttp('https://lgd.example/ServiceDesk.WebAccess', 1000, fetchTransport(globalThis.fetch));
const logonPath = 'wd/Logon/Logon.rails';
const read: LgdHttpRequest = { method: 'GET', path: 'wd/query/list.rails', params: { class_name: 'X' }, write: false };
const write: LgdHttpRequest = { method: 'POST', path: 'object/save.rails', params: { class_name: 'N' }, write: true };
const answer = (a: Partial<LgdRawAnswer>): LgdRawAnswer => ({ status: 200, contentType: 'application/json', location: null, body: '{}', ...a });

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('interpretJson', () => {
  it('returns the parsed body of a JSON 200', () => {
    expect(interpretJson(answer({ body: '{"a":1}' }), read, http, logonPath)).toEqual({ a: 1 });
  });

  it('takes JSON served as text/html', () => {
    expect(interpretJson(answer({ contentType: 'text/html', body: ' {"a":1}' }), read, http, logonPath)).toEqual({ a: 1 });
  });

  it('sees each of the three session-gone forms', () => {
    expect(thrown(() => interpretJson(answer({ status: 403 }), read, http, logonPath))).toBeInstanceOf(LgdSessionLost);
    for (const location of [
      '/ServiceDesk.WebAccess/wd/Logon/Logon.rails?ReturnUrl=%2F',
      'https://lgd.example/ServiceDesk.WebAccess/logon/logon.rails',
    ]) {
      expect(thrown(() => interpretJson(answer({ status: 302, location }), read, http, logonPath))).toBeInstanceOf(LgdSessionLost);
    }
    const html = answer({ contentType: 'text/html; charset=utf-8', body: '<html><form><input name="Ecom_User_ID"></form></html>' });
    expect(thrown(() => interpretJson(html, read, http, logonPath))).toBeInstanceOf(LgdSessionLost);
  });

  it('calls another redirect a bad answer', () => {
    const err = thrown(() => interpretJson(answer({ status: 302, location: '/elsewhere' }), read, http, logonPath));
    expect(err).toBeInstanceOf(LgdBadResponse);
  });

  it('maps a JSON message by status: 4xx refused, 5xx unavailable', () => {
    const refused = thrown(() => interpretJson(answer({ status: 400, body: '{"message":"Not at this status"}' }), write, http, logonPath));
    expect(refused).toBeInstanceOf(LgdRefused);
    expect((refused as LgdRefused).lgdMessage).toBe('Not at this status');
    const down = thrown(() => interpretJson(answer({ status: 500, body: '{"message":"Database down"}' }), read, http, logonPath));
    expect(down).toBeInstanceOf(LgdUnavailable);
    expect((down as LgdUnavailable).message).toContain('Database down');
    expect((down as LgdUnavailable).outcomeUnknown).toBe(false);
  });

  it('calls a write\'s 502 / 504 (a gateway that may have passed it on) unknown; every other busy answer, and any read, says it was not taken', () => {
    const gatewayPage = (title: string) => answer({ contentType: 'text/html', body: `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>` });
    for (const [status, title] of [[502, '502 Bad Gateway'], [504, '504 Gateway Time-out']] as const) {
      const err = thrown(() => interpretJson({ ...gatewayPage(title), status }, write, http, logonPath));
      expect(err).toBeInstanceOf(LgdUnavailable);
      expect((err as LgdUnavailable).outcomeUnknown, `write ${status}`).toBe(true);
      expect((err as LgdUnavailable).userMessage).toMatch(new RegExp(`gateway answered HTTP ${status}.*cannot tell whether the change was made`));
      expect((thrown(() => interpretJson({ ...gatewayPage(title), status }, read, http, logonPath)) as LgdUnavailable).outcomeUnknown, `read ${status}`).toBe(false);
    }
    for (const status of [500, 503, 408, 429]) {
      const err = thrown(() => interpretJson(answer({ status, body: '{"message":"busy"}' }), write, http, logonPath));
      expect(err).toBeInstanceOf(LgdUnavailable);
      expect((err as LgdUnavailable).outcomeUnknown, `write ${status}`).toBe(false);
    }
  });

  it('reads an HTML error page\'s exceptionMessage', () => {
    const body = readFileSync(new URL('fixtures/error-page.html', import.meta.url), 'utf8');
    const err = thrown(() => interpretJson(answer({ status: 503, contentType: 'text/html', body }), read, http, logonPath));
    expect(err).toBeInstanceOf(LgdUnavailable);
    expect((err as Error).message).toContain("The action 'Resolve' is not available & cannot run.");
  });

  it('calls malformed JSON a bad answer naming the request; for a write the outcome is unknown', () => {
    const err = thrown(() => interpretJson(answer({ body: '{"objects": [' }), read, http, logonPath));
    expect(err).toBeInstanceOf(LgdBadResponse);
    expect((err as Error).message).toContain('GET wd/query/list.rails?class_name=X');
    const w = thrown(() => interpretJson(answer({ body: '{oops' }), write, http, logonPath));
    expect((w as LgdBadResponse).outcomeUnknown).toBe(true);
  });
});

describe('what LGD answered, in errors', () => {
  const secretHttp = new LgdHttp('https://lgd.example/ServiceDesk.WebAccess', 1000, fetchTransport(globalThis.fetch), ['Hunter2-pw', 'svc.account']);

  it('names the status, the kind of page and LGD\'s message', () => {
    const html404 = answer({ status: 404, contentType: 'text/html', body: '<html><head><title>404 - File or directory not found.</title></head></html>' });
    expect(describeAnswer(html404, http)).toBe('HTTP 404 (an HTML page): 404 - File or directory not found.');
    expect(describeAnswer(answer({ status: 400, body: '{"message":"Unknown class X"}' }), http)).toBe('HTTP 400: Unknown class X');
    expect(describeAnswer(answer({ status: 502, contentType: 'text/plain', body: 'Bad gateway' }), http)).toBe('HTTP 502 (text): Bad gateway');
    expect(describeAnswer(answer({ status: 500, contentType: '', body: '' }), http)).toBe('HTTP 500 (empty)');
    expect(describeAnswer(answer({ status: 302, location: '/elsewhere' }), http)).toBe('HTTP 302 to /elsewhere');
  });

  it('puts LGD\'s answer in the user-facing text: a 5xx is not "not answering", a 4xx says its status', () => {
    const page = '<html><body><span class="exceptionMessage">Class \'X\' not found</span></body></html>';
    const down = thrown(() => interpretJson(answer({ status: 500, contentType: 'text/html', body: page }), read, http, logonPath)) as LgdUnavailable;
    expect(down.userMessage).toBe("LGD answered HTTP 500 (an HTML page): Class 'X' not found; nothing was changed. Please try again in a few minutes.");
    expect(down.lgdAnswer).toBe("HTTP 500 (an HTML page): Class 'X' not found");
    const refused = thrown(() => interpretJson(answer({ status: 404, contentType: 'text/html', body: page }), read, http, logonPath)) as LgdRefused;
    expect(refused.userMessage).toBe("LGD refused this: Class 'X' not found (HTTP 404, an HTML page)");
    const inJson = thrown(() => interpretJson(answer({ status: 400, body: '{"message":"Not at this status"}' }), write, http, logonPath)) as LgdRefused;
    expect(inJson.userMessage).toBe('LGD refused this: Not at this status (HTTP 400)');
    expect(new LgdUnavailable('no answer within 1000 ms').userMessage).toBe('LGD is not answering right now (no answer within 1000 ms); nothing was changed. Please try again in a few minutes.');
  });

  it('never repeats the service account\'s password or name from LGD\'s answer', () => {
    const page = '<html><body><div id="exceptionMessage">Login svc.account with password Hunter2-pw failed</div></body></html>';
    for (const status of [400, 500]) {
      const err = thrown(() => interpretJson(answer({ status, contentType: 'text/html', body: page }), read, secretHttp, logonPath)) as LgdRefused | LgdUnavailable;
      const all = `${err.message} ${err.userMessage} ${err.lgdAnswer ?? ''} ${JSON.stringify(err)}`;
      expect(all).not.toContain('Hunter2-pw');
      expect(all).not.toContain('svc.account');
      expect(all).toContain('Login *** with password *** failed');
    }
    const bad = thrown(() => interpretJson(answer({ body: '{"user":"svc.account","pw":"Hunter2-pw"' }), read, secretHttp, logonPath)) as LgdBadResponse;
    expect(`${bad.message} ${bad.userMessage}`).not.toContain('Hunter2-pw');
  });
});

describe('describeRequest', () => {
  it('never shows credentials', () => {
    const text = describeRequest({ method: 'POST', path: 'wd/Logon/Logon.rails', params: { Ecom_User_ID: 'svc', Ecom_User_Password: 's3cret' } });
    expect(text).toBe('POST wd/Logon/Logon.rails');
  });
});

describe('LgdHttp.url', () => {
  it('joins paths under the base URL with or without slashes', () => {
    expect(http.url('wd/query/list.rails').href).toBe('https://lgd.example/ServiceDesk.WebAccess/wd/query/list.rails');
    expect(new LgdHttp('https://h/app/', 1, fetchTransport(globalThis.fetch)).url('/object/save.rails').href).toBe('https://h/app/object/save.rails');
  });
});

describe('LgdHttp.send', () => {
  it('sends a GET\'s params in the query as a form encodes them, each value exactly', async () => {
    const params = { class_name: 'IncidentManagement.Incident', cns: "Status = 'Open' & Title ≠ \"a+b=c\"", 'odd key': '100% sure?#', empty: '' };
    let sent: URL | undefined;
    const fetchFn = ((input: URL | string) => {
      sent = new URL(input.toString());
      return Promise.resolve(new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }));
    }) as typeof fetch;
    await new LgdHttp('https://lgd.example/ServiceDesk.WebAccess/', 1000, fetchTransport(fetchFn)).send({ method: 'GET', path: '/wd/query/list.rails', params, write: false });
    expect(sent?.pathname).toBe('/ServiceDesk.WebAccess/wd/query/list.rails');
    expect(Object.fromEntries(sent?.searchParams ?? [])).toEqual(params);
    expect(sent?.search).toBe(`?${new URLSearchParams(params).toString()}`);
  });
});
