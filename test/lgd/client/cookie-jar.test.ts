import { describe, expect, it } from 'vitest';
import { CookieJar } from '../../../bot/lgd/client/cookie-jar.js';

describe('CookieJar', () => {
  it('keeps cookies by name and sends them back', () => {
    const jar = new CookieJar();
    expect(jar.header()).toBeUndefined();
    jar.store(['ASP.NET_SessionId=abc; path=/; HttpOnly', 'lang=en-GB']);
    jar.store(['ASP.NET_SessionId=def; path=/']);
    expect(jar.header()).toBe('ASP.NET_SessionId=def; lang=en-GB');
  });

  it('removes expired cookies', () => {
    const jar = new CookieJar();
    jar.store(['a=1', 'b=2']);
    jar.store(['a=; expires=Thu, 01 Jan 1970 00:00:00 GMT', 'b=; Max-Age=0']);
    expect(jar.size).toBe(0);
  });

  it('ignores malformed lines and clears', () => {
    const jar = new CookieJar();
    jar.store(['novalue', '=x', 'ok=1']);
    expect(jar.header()).toBe('ok=1');
    jar.clear();
    expect(jar.header()).toBeUndefined();
  });
});
