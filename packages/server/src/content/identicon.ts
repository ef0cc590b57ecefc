import { createHash } from 'node:crypto';

/**
 * Identicons: the avatar of every commenter, drawn by the server so no reader's
 * browser asks a third party (DESIGN.md, "Privacy"). The key is already a keyed
 * hash computed by the server; this module never sees an email address. The
 * picture is a GitHub-style 5×5 pattern, mirrored left to right, in one colour
 * on a light tile of the same hue.
 */

/** The avatar key format the avatar route accepts (base64url or hex, 16 to 64 characters). */
const AVATAR_KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** Lowest contrast between the cells and the tile (WCAG's 3:1 for graphics). */
const IDENTICON_MIN_CONTRAST = 3;

const GRID = 5;
/** Columns drawn from the hash; the others mirror them. */
const HALF = Math.ceil(GRID / 2);

/**
 * Whether `key` has the avatar key format: 16 to 64 characters from
 * `A–Z a–z 0–9 _ -`. Anything else (a path, an address, a longer string) is refused.
 *
 * @example
 * isValidAvatarKey('q3J9xk2LmP0vZr8T'); // → true
 * isValidAvatarKey('someone@example.com'); // → false
 */
export function isValidAvatarKey(key: string): boolean {
  return AVATAR_KEY.test(key);
}

/**
 * Draws the identicon of `key` as a standalone SVG document: a light background
 * tile and one `<path>` of the filled cells, symmetric about the middle column.
 * The pattern and colours come from the SHA-256 of `key`, so any string works and
 * the same key always gives the same bytes. No script, no links, no external
 * references: safe to serve as `image/svg+xml` to any origin.
 *
 * @example
 * renderIdenticon('q3J9xk2LmP0vZr8T');
 * // → '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 5 5" width="48" height="48"
 * //     shape-rendering="crispEdges" role="img" aria-hidden="true">
 * //     <rect width="5" height="5" fill="#…"/><path fill="#…" d="M0 0h1v1h-1z…"/></svg>'
 */
export function renderIdenticon(key: string): string {
  const hash = createHash('sha256').update(key, 'utf8').digest();
  const byte = (index: number): number => hash[index] ?? 0;

  const filled: boolean[][] = [];
  for (let row = 0; row < GRID; row++) {
    const cells: boolean[] = [];
    for (let column = 0; column < GRID; column++) {
      const source = column < HALF ? column : GRID - 1 - column;
      cells.push(byte(row * HALF + source) % 2 === 0);
    }
    filled.push(cells);
  }
  // One chance in 32 768: never draw an empty tile.
  const middle = Math.floor(GRID / 2);
  const middleRow = filled[middle];
  if (middleRow !== undefined && filled.every((cells) => cells.every((cell) => !cell))) {
    middleRow[middle] = true;
  }

  const { foreground, background } = identiconColours(byte(15) * 256 + byte(16), byte(17), byte(18));
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${GRID} ${GRID}" width="48" height="48"` +
    ` shape-rendering="crispEdges" role="img" aria-hidden="true">` +
    `<rect width="${GRID}" height="${GRID}" fill="${background}"/>` +
    `<path fill="${foreground}" d="${cellsPath(filled)}"/></svg>`
  );
}

/** One subpath per horizontal run of filled cells: `M x y h run v1 h -run z`. */
function cellsPath(filled: boolean[][]): string {
  let d = '';
  filled.forEach((cells, row) => {
    let column = 0;
    while (column < cells.length) {
      if (!cells[column]) {
        column++;
        continue;
      }
      const start = column;
      while (column < cells.length && cells[column]) column++;
      const run = column - start;
      d += `M${start} ${row}h${run}v1h-${run}z`;
    }
  });
  return d;
}

/**
 * A saturated colour and a pale tile of the same hue. The colour starts at a
 * lightness from the hash and darkens until it meets {@link IDENTICON_MIN_CONTRAST}
 * against the tile, so yellows and cyans stay visible.
 */
function identiconColours(
  hueSeed: number,
  saturationSeed: number,
  lightnessSeed: number,
): { foreground: string; background: string } {
  const hue = hueSeed % 360;
  const saturation = 45 + (saturationSeed % 30);
  const backgroundRgb = hslToRgb(hue, 35, 95);
  let lightness = 35 + (lightnessSeed % 20);
  let foregroundRgb = hslToRgb(hue, saturation, lightness);
  while (lightness > 0 && contrastRatio(foregroundRgb, backgroundRgb) < IDENTICON_MIN_CONTRAST) {
    lightness -= 1;
    foregroundRgb = hslToRgb(hue, saturation, lightness);
  }
  return { foreground: toHex(foregroundRgb), background: toHex(backgroundRgb) };
}

type Rgb = readonly [number, number, number];

/** HSL (degrees, percent, percent) to 8-bit sRGB, as CSS defines the conversion. */
function hslToRgb(hue: number, saturation: number, lightness: number): Rgb {
  const s = saturation / 100;
  const l = lightness / 100;
  const channel = (n: number): number => {
    const k = (n + hue / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}

/** WCAG 2 contrast ratio between two sRGB colours (1 to 21). */
function contrastRatio(a: Rgb, b: Rgb): number {
  const [lighter, darker] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (lighter + 0.05) / (darker + 0.05);
}

function relativeLuminance([r, g, b]: Rgb): number {
  const linear = (value: number): number => {
    const c = value / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}
