import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { deflateSync, crc32 } from 'node:zlib';
import { renderIdenticon } from './identicon.js';
it('x', () => {
  const N = 24, cell = 12, pad = 6, tile = 5 * cell, W = 8 * (tile + pad), H = 3 * (tile + pad);
  const px = Buffer.alloc(W * H * 3, 0x20);
  for (let i = 0; i < N; i++) {
    const svg = renderIdenticon(`user-${i * 7919}-abcdefghij`);
    const [, bg, fg, d] = /fill="(#\w+)".*fill="(#\w+)" d="([^"]+)"/.exec(svg)!;
    const rgb = (h: string) => [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16));
    const ox = (i % 8) * (tile + pad), oy = Math.floor(i / 8) * (tile + pad);
    const grid = Array.from({ length: 5 }, () => Array(5).fill(false));
    for (const m of d.matchAll(/M(\d) (\d)h(\d)/g)) for (let k = 0; k < +m[3]!; k++) grid[+m[2]!]![+m[1]! + k] = true;
    for (let y = 0; y < tile; y++) for (let x = 0; x < tile; x++) {
      const c = grid[Math.floor(y / cell)]![Math.floor(x / cell)] ? rgb(fg!) : rgb(bg!);
      px.set(c, ((oy + y) * W + ox + x) * 3);
    }
  }
  const raw = Buffer.concat(Array.from({ length: H }, (_, y) => Buffer.concat([Buffer.from([0]), px.subarray(y * W * 3, (y + 1) * W * 3)])));
  const chunk = (t: string, data: Buffer) => { const len = Buffer.alloc(4); len.writeUInt32BE(data.length); const td = Buffer.concat([Buffer.from(t), data]); const c = Buffer.alloc(4); c.writeUInt32BE(crc32(td)); return Buffer.concat([len, td, c]); };
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(W, 0); ihdr.writeUInt32BE(H, 4); ihdr[8] = 8; ihdr[9] = 2;
  writeFileSync('/tmp/idents.png', Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]));
});
