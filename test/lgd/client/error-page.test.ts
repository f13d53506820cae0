import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorPageMessage, htmlText } from '../../../bot/lgd/client/error-page.js';

const fixture = (name: string): string => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('errorPageMessage', () => {
  it('reads the exceptionMessage element of a Web Access error page, entities decoded', () => {
    expect(errorPageMessage(fixture('error-page.html'))).toBe("The action 'Resolve' is not available & cannot run.");
  });

  it('finds the element by class alone, with nested markup', () => {
    const html = '<html><body><span class="error exceptionMessage">Object <b>not</b> found</span></body></html>';
    expect(errorPageMessage(html)).toBe('Object not found');
  });

  it('falls back to the title, then to null', () => {
    expect(errorPageMessage('<html><head><title>Service Unavailable</title></head></html>')).toBe('Service Unavailable');
    expect(errorPageMessage('<html><body><p>nothing</p></body></html>')).toBeNull();
  });

  it('bounds the message length', () => {
    const html = `<div id="exceptionMessage">${'a'.repeat(2000)}</div>`;
    expect(errorPageMessage(html, 50)?.length).toBe(50);
  });
});

describe('htmlText', () => {
  it('drops scripts and tags and decodes numeric entities', () => {
    expect(htmlText('<script>alert(1)</script><p>A&#x26;B &#8212; C</p>')).toBe('A&B — C');
  });
});
