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

  it('finds the element after a look-alike closing tag and ignores unmarked elements', () => {
    expect(errorPageMessage('<p>x</p><div class="exceptionMessage">Gone</divx></div>')).toBe('Gone</divx>'.replace('</divx>', ''));
    expect(errorPageMessage('<div class="exceptionMessages">no</div><title>T</title>')).toBe('T');
    expect(errorPageMessage("<div id='exceptionMessage' >It &amp; that</div>")).toBe('It & that');
  });

  it('reads a hostile page in time linear in its size (an LGD answer is text from outside)', () => {
    const n = 200_000;
    const pages = {
      'unclosed <': '<'.repeat(n),
      'one huge class attribute': `<a class="${'exceptionMessage '.repeat(n / 16)}`,
      'unterminated attributes': `<a ${'class='.repeat(n / 6)}>`,
      'unclosed scripts': '<script>'.repeat(n / 8),
      'unclosed titles': '<title>'.repeat(n / 7),
      'marked elements never closed': '<a id=exceptionMessage>'.repeat(n / 23),
    };
    for (const [what, page] of Object.entries(pages)) {
      const t0 = performance.now();
      errorPageMessage(page);
      htmlText(page);
      // Generous: linear code takes milliseconds; the backtracking expressions took many seconds here.
      expect(performance.now() - t0, what).toBeLessThan(1000);
    }
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
