import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePng } from './png.js';

/** The sizes Teams requires: the schema does not check icons, so this does. */
export const ICON_SIZES = { color: 192, outline: 32 } as const;

/**
 * Checks the manifest's icons: `color` a 192×192 PNG; `outline` a 32×32 PNG with an alpha channel
 * whose every pixel is white or fully transparent. Returns one sentence per problem (empty: all good).
 */
export function checkIcons(dir: string, icons: { color?: unknown; outline?: unknown }): string[] {
  const problems: string[] = [];
  for (const kind of ['color', 'outline'] as const) {
    const file = icons[kind];
    if (typeof file !== 'string' || file === '') {
      problems.push(`icons.${kind}: the manifest names no ${kind} icon file.`);
      continue;
    }
    const path = join(dir, file);
    if (!existsSync(path)) {
      problems.push(`icons.${kind}: ${path} does not exist (run npx tsx appPackage/make-icons.ts to draw it).`);
      continue;
    }
    let png;
    try {
      png = decodePng(readFileSync(path));
    } catch (err) {
      problems.push(`icons.${kind}: ${path} ${(err as Error).message}.`);
      continue;
    }
    const size = ICON_SIZES[kind];
    if (png.width !== size || png.height !== size) {
      problems.push(`icons.${kind}: ${path} is ${png.width}×${png.height}; Teams needs ${size}×${size}.`);
      continue;
    }
    if (kind === 'outline') {
      if (!png.hasAlpha) {
        problems.push(`icons.outline: ${path} has no alpha channel; Teams needs white on a transparent background.`);
        continue;
      }
      let coloured = 0;
      let transparent = 0;
      for (let i = 0; i < png.data.length; i += 4) {
        const alpha = png.data[i + 3];
        if (alpha === 0) transparent++;
        else if (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255) coloured++;
      }
      if (coloured > 0) problems.push(`icons.outline: ${path} has ${coloured} pixels that are neither white nor fully transparent.`);
      if (transparent === 0) problems.push(`icons.outline: ${path} has no transparent pixel; its background must be transparent.`);
      if (transparent === size * size) problems.push(`icons.outline: ${path} is empty (every pixel transparent).`);
    }
  }
  return problems;
}
