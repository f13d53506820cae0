import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIcons } from '../../appPackage/check-icons.js';
import { colorIcon, outlineIcon } from '../../appPackage/make-icons.js';
import { decodePng, encodePng } from '../../appPackage/png.js';

const APP_DIR = join(import.meta.dirname, '../../appPackage');
const manifest = JSON.parse(readFileSync(join(APP_DIR, 'manifest.json'), 'utf8')) as { accentColor: string; icons: { color: string; outline: string } };

describe('the committed icons', () => {
  const color = decodePng(readFileSync(join(APP_DIR, manifest.icons.color)));
  const outline = decodePng(readFileSync(join(APP_DIR, manifest.icons.outline)));

  it('are the sizes Teams needs, and pass the packager\'s check', () => {
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    expect(checkIcons(APP_DIR, manifest.icons)).toEqual([]);
  });

  it('outline: an alpha channel, white where drawn, fully transparent elsewhere, and something drawn', () => {
    expect(outline.hasAlpha).toBe(true);
    let drawn = 0;
    let clear = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3] === 0) clear++;
      else {
        drawn++;
        expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
      }
    }
    expect(drawn).toBeGreaterThan(100);
    expect(clear).toBeGreaterThan(300);
    // transparent corners: the background really is see-through
    expect(outline.data[3]).toBe(0);
  });

  it('color: opaque, on the manifest\'s accent colour, with the white ticket in the middle', () => {
    const px = (x: number, y: number): number[] => [...color.data.subarray((y * 192 + x) * 4, (y * 192 + x) * 4 + 4)];
    const accent = [1, 3, 5].map((i) => parseInt(manifest.accentColor.slice(i, i + 2), 16));
    expect(px(4, 4)).toEqual([...accent, 255]);
    expect(px(70, 60)).toEqual([255, 255, 255, 255]);
    let seeThrough = 0;
    for (let i = 3; i < color.data.length; i += 4) if (color.data[i] !== 255) seeThrough++;
    expect(seeThrough).toBe(0);
  });

  it('are what appPackage/make-icons.ts draws today, so they can be re-made', () => {
    expect(Buffer.from(colorIcon(manifest.accentColor).data).equals(Buffer.from(color.data))).toBe(true);
    expect(Buffer.from(outlineIcon().data).equals(Buffer.from(outline.data))).toBe(true);
  });
});

describe('png codec', () => {
  it('reads back what it writes, including rows that need every filter', () => {
    const data = new Uint8Array(5 * 3 * 4).map((_, i) => (i * 37) % 256);
    const back = decodePng(encodePng({ width: 5, height: 3, data }));
    expect([back.width, back.height, back.bitDepth, back.colorType]).toEqual([5, 3, 8, 6]);
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true);
  });

  it('says what is wrong with a file that is not a PNG', () => {
    expect(() => decodePng(Buffer.from('GIF89a not a png at all, not at all, not at all'))).toThrow(/not a PNG file/);
  });
});
