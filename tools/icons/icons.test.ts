import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICONS, renderIcon } from './generate.ts';
import { encodePng } from './png.ts';

describe('app icons', () => {
  it('the committed PNGs are exactly what the generator writes', async () => {
    for (const icon of ICONS) {
      const committed = await readFile(`public/icons/${icon.file}`);
      expect(committed.equals(encodePng(icon.size, icon.size, renderIcon(icon.size, icon.geometry))), icon.file).toBe(true);
    }
  });

  it('writes a PNG whose header and pixels read back', () => {
    const pixels = renderIcon(8, { cornerRadius: 0, glyphScale: 1 });
    const png = encodePng(8, 8, pixels);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(8); // IHDR width
    expect(png.readUInt32BE(20)).toBe(8); // IHDR height
    const idatLength = png.readUInt32BE(33);
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe(8 * (8 * 4 + 1));
    expect([...raw.subarray(1, 9)]).toEqual([...pixels.subarray(0, 8)]);
  });

  it('rounds the corners of regular icons and fills maskable ones to the edge', () => {
    const corner = (pixels: Uint8Array) => pixels[3];
    expect(corner(renderIcon(64, { cornerRadius: 14, glyphScale: 1 }))).toBe(0);
    expect(corner(renderIcon(64, { cornerRadius: 0, glyphScale: 0.8 }))).toBe(255);
  });
});
