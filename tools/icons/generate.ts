/**
 * Writes the app's PNG icons from the same geometry as `public/icon.svg`, with no rasteriser and no
 * network: each pixel's coverage of the icon's few shapes is supersampled and the image is written as a
 * PNG with Node's zlib. The output is byte-for-byte stable, so re-running it changes nothing.
 *
 *   npx tsx tools/icons/generate.ts      (writes public/icons/*.png)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { encodePng } from './png.ts';

type Rgb = readonly [number, number, number];

const BLUE: Rgb = [0x3b, 0x5b, 0xdb];
const WHITE: Rgb = [0xff, 0xff, 0xff];

/** The icon in its 64-unit SVG space: a rounded square and a white magnifier (ring, dot, handle). */
interface Geometry {
  /** Corner radius of the blue square; 0 for full-bleed maskable icons. */
  cornerRadius: number;
  /** Scale of the white glyph about the centre; maskable icons keep it inside the 80% safe circle. */
  glyphScale: number;
}

function insideRoundedSquare(x: number, y: number, r: number): boolean {
  if (x < 0 || y < 0 || x > 64 || y > 64) return false;
  if (r === 0) return true;
  const cx = Math.min(Math.max(x, r), 64 - r);
  const cy = Math.min(Math.max(y, r), 64 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function distanceToSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function insideGlyph(px: number, py: number, scale: number): boolean {
  // Undo the scale about the centre, then test the SVG's shapes as written in icon.svg.
  const x = 32 + (px - 32) / scale;
  const y = 32 + (py - 32) / scale;
  const ring = Math.abs(Math.hypot(x - 28, y - 28) - 13) <= 2.5; // circle r=13, stroke-width 5
  const dot = Math.hypot(x - 28, y - 28) <= 4;
  const handle = distanceToSegment(x, y, 37, 37, 49, 49) <= 3; // stroke-width 6, round caps
  return ring || dot || handle;
}

/** RGBA pixels of the icon at `size` px, 4×4 supersampled for smooth edges. */
export function renderIcon(size: number, geometry: Geometry): Uint8Array {
  const samples = 4;
  const pixels = new Uint8Array(size * size * 4);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((col + (sx + 0.5) / samples) / size) * 64;
          const y = ((row + (sy + 0.5) / samples) / size) * 64;
          if (!insideRoundedSquare(x, y, geometry.cornerRadius)) continue;
          bg++;
          if (insideGlyph(x, y, geometry.glyphScale)) fg++;
        }
      }
      const n = samples * samples;
      const i = (row * size + col) * 4;
      // White over blue inside the square; alpha is the square's coverage.
      const white = bg === 0 ? 0 : fg / bg;
      for (let c = 0; c < 3; c++) pixels[i + c] = Math.round(BLUE[c]! * (1 - white) + WHITE[c]! * white);
      pixels[i + 3] = Math.round((bg / n) * 255);
    }
  }
  return pixels;
}

const ANY: Geometry = { cornerRadius: 14, glyphScale: 1 };
// The glyph reaches ~27 units from the centre; the maskable safe zone is a circle of radius 25.6.
const MASKABLE: Geometry = { cornerRadius: 0, glyphScale: 0.8 };

export const ICONS = [
  { file: 'icon-192.png', size: 192, geometry: ANY },
  { file: 'icon-512.png', size: 512, geometry: ANY },
  { file: 'maskable-192.png', size: 192, geometry: MASKABLE },
  { file: 'maskable-512.png', size: 512, geometry: MASKABLE },
  // iOS ignores the manifest's icons and masks this one itself, so it is full-bleed too.
  { file: 'apple-touch-icon-180.png', size: 180, geometry: { cornerRadius: 0, glyphScale: 1 } },
] as const;

async function main(): Promise<void> {
  const out = resolve('public/icons');
  await mkdir(out, { recursive: true });
  for (const icon of ICONS) {
    await writeFile(resolve(out, icon.file), encodePng(icon.size, icon.size, renderIcon(icon.size, icon.geometry)));
    console.log(`public/icons/${icon.file}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
