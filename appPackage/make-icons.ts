/**
 * Draws the app's two Teams icons and writes them next to the manifest:
 * `color.png` (192×192: a white ticket with a tick on the accent colour) and
 * `outline.png` (32×32: the same ticket as a white outline on full transparency).
 * Run: `npx tsx appPackage/make-icons.ts`. The accent colour is read from manifest.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng, type RgbaImage } from './png.js';

type Point = readonly [number, number];
/** A shape in unit coordinates (0..1 across the icon): true where the point is inside. */
type Shape = (x: number, y: number) => boolean;

const SAMPLES = 4; // 4×4 samples a pixel: smooth edges without a rasteriser dependency

function roundedRect(cx: number, cy: number, hw: number, hh: number, r: number): Shape {
  return (x, y) => {
    const dx = Math.max(Math.abs(x - cx) - (hw - r), 0);
    const dy = Math.max(Math.abs(y - cy) - (hh - r), 0);
    return dx * dx + dy * dy <= r * r;
  };
}

function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** A stroke of radius r along the polyline: round caps and joins. */
function stroke(points: readonly Point[], r: number): Shape {
  return (x, y) => {
    for (let i = 0; i + 1 < points.length; i++) {
      const [ax, ay] = points[i] as Point;
      const [bx, by] = points[i + 1] as Point;
      const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
      const t = Math.min(1, Math.max(0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
      if ((x - (ax + t * (bx - ax))) ** 2 + (y - (ay + t * (by - ay))) ** 2 <= r * r) return true;
    }
    return false;
  };
}

/** A ticket: a rounded rectangle with a half-round notch bitten out of each side. */
function ticket(hw: number, hh: number, corner: number, notch: number): Shape {
  const body = roundedRect(0.5, 0.5, hw, hh, corner);
  const left = circle(0.5 - hw, 0.5, notch);
  const right = circle(0.5 + hw, 0.5, notch);
  return (x, y) => body(x, y) && !left(x, y) && !right(x, y);
}

/** Rasterises: `paint` returns the RGBA colour of a sample point, or null for transparent. */
function render(size: number, paint: (x: number, y: number) => readonly [number, number, number] | null): RgbaImage {
  const data = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = paint((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          covered++;
        }
      }
      const o = (py * size + px) * 4;
      if (covered > 0) {
        data[o] = Math.round(r / covered);
        data[o + 1] = Math.round(g / covered);
        data[o + 2] = Math.round(b / covered);
        data[o + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
      }
    }
  }
  return { width: size, height: size, data };
}

function hexToRgb(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`accentColor "${hex}" is not a #rrggbb colour`);
  return [parseInt(m[1] as string, 16), parseInt(m[2] as string, 16), parseInt(m[3] as string, 16)];
}

const WHITE = [255, 255, 255] as const;
const TICK: readonly Point[] = [
  [0.43, 0.5],
  [0.51, 0.58],
  [0.67, 0.42],
];

/** The 192×192 colour icon: a white ticket with a tick and a perforated stub, on the accent colour. */
export function colorIcon(accentColor: string): RgbaImage {
  const accent = hexToRgb(accentColor);
  const shape = ticket(0.31, 0.21, 0.04, 0.065);
  const tick = stroke(TICK, 0.036);
  const perforation = (x: number, y: number): boolean => Math.abs(x - 0.335) <= 0.009 && Math.abs(y - 0.5) <= 0.17 && Math.floor((y - 0.33) / 0.034) % 2 === 0;
  return render(192, (x, y) => (shape(x, y) && !tick(x, y) && !perforation(x, y) ? WHITE : accent));
}

/** The 32×32 outline icon: the ticket's outline and the tick, white on full transparency. */
export function outlineIcon(): RgbaImage {
  const w = 0.065; // about 2 px of stroke
  const outer = ticket(0.45, 0.3, 0.08, 0.08);
  const inner = ticket(0.45 - w, 0.3 - w, 0.08 - w / 2, 0.08 + w);
  const tick = stroke(
    [
      [0.37, 0.5],
      [0.46, 0.59],
      [0.63, 0.42],
    ],
    0.04,
  );
  return render(32, (x, y) => ((outer(x, y) && !inner(x, y)) || tick(x, y) ? WHITE : null));
}

/** Writes color.png and outline.png into `dir`, drawn with the manifest's accent colour. */
export function writeIcons(dir: string): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { accentColor: string };
  writeFileSync(join(dir, 'color.png'), encodePng(colorIcon(manifest.accentColor)));
  writeFileSync(join(dir, 'outline.png'), encodePng(outlineIcon()));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = dirname(fileURLToPath(import.meta.url));
  writeIcons(dir);
  console.log(`wrote ${join(dir, 'color.png')} and ${join(dir, 'outline.png')}`);
}
