import { randomBytes } from 'node:crypto';
import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { isValidAvatarKey, renderIdenticon } from './identicon.js';

const ROOT =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 5 5" width="48" height="48"' +
  ' shape-rendering="crispEdges" role="img" aria-hidden="true">';

const randomKeys = Array.from({ length: 200 }, () => randomBytes(24).toString('base64url'));

interface SvgElement {
  name: string;
  attribs: Record<string, string>;
  depth: number;
}

/** The elements of an SVG document parsed as XML, and anything that is not a well-formed element. */
function parseSvg(svg: string): { elements: SvgElement[]; other: string[] } {
  const elements: SvgElement[] = [];
  const other: string[] = [];
  let depth = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs, isImplied) {
        if (isImplied) other.push(`implied <${name}>`);
        elements.push({ name, attribs, depth: depth++ });
      },
      onclosetag(name, isImplied) {
        // A self-closing tag (`<rect …/>`) ends itself; any other implied end is an unclosed element.
        const selfClosing = svg.slice(parser.startIndex, parser.endIndex + 1).endsWith('/>');
        if (isImplied && !selfClosing) other.push(`unclosed <${name}>`);
        depth--;
      },
      ontext: (text) => other.push(`text ${JSON.stringify(text)}`),
      oncomment: () => other.push('comment'),
      oncdatastart: () => other.push('CDATA'),
      onprocessinginstruction: (name) => other.push(`processing instruction ${name}`),
    },
    { xmlMode: true },
  );
  parser.end(svg);
  return { elements, other };
}

/** The 5×5 grid the path draws, read back from its `M x y h run v1 h -run z` runs. */
function cellsOf(svg: string): boolean[][] {
  const d = /<path [^>]*d="([^"]*)"/.exec(svg)?.[1] ?? '';
  expect(d).toMatch(/^(M[0-4] [0-4]h[1-5]v1h-[1-5]z)+$/);
  const grid = Array.from({ length: 5 }, () => Array<boolean>(5).fill(false));
  for (const [, x, y, run, back] of d.matchAll(/M(\d) (\d)h(\d)v1h-(\d)z/g)) {
    expect(back).toBe(run);
    const cells = grid[Number(y)] ?? [];
    for (let column = Number(x); column < Number(x) + Number(run); column++) {
      expect(column).toBeLessThan(5);
      expect(cells[column]).toBe(false);
      cells[column] = true;
    }
  }
  return grid;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const luminance = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

describe('renderIdenticon', () => {
  it('draws the same image for the same key', () => {
    const key = 'q3J9xk2LmP0vZr8T';
    expect(renderIdenticon(key)).toBe(renderIdenticon(key));
  });

  it('draws different images for different keys (at least 150 of 200 random keys)', () => {
    const images = new Set(randomKeys.map(renderIdenticon));
    expect(images.size).toBeGreaterThanOrEqual(150);
  });

  it('starts with the fixed svg root element and ends with its close', () => {
    for (const key of randomKeys.slice(0, 20)) {
      const svg = renderIdenticon(key);
      expect(svg.startsWith(ROOT)).toBe(true);
      expect(svg.endsWith('</svg>')).toBe(true);
    }
  });

  it('is a well-formed XML document of one svg holding one background rect and one path', () => {
    for (const key of randomKeys) {
      const { elements, other } = parseSvg(renderIdenticon(key));
      expect(other).toEqual([]);
      expect(elements.map(({ name, depth }) => `${depth}:${name}`)).toEqual(['0:svg', '1:rect', '1:path']);
      expect(elements[1]?.attribs).toMatchObject({ width: '5', height: '5' });
    }
  });

  it('holds no script, foreign content, link or external reference', () => {
    const allowed: Record<string, string[]> = {
      svg: ['xmlns', 'viewBox', 'width', 'height', 'shape-rendering', 'role', 'aria-hidden'],
      rect: ['width', 'height', 'fill'],
      path: ['fill', 'd'],
    };
    for (const key of randomKeys) {
      const svg = renderIdenticon(key);
      expect(svg).not.toMatch(/script|foreignObject|href|url\(|<image|<use|<style|javascript:|data:/i);
      expect(svg.match(/https?:\/\//g)).toEqual(['http://']); // the SVG namespace, nothing else
      for (const { name, attribs } of parseSvg(svg).elements) {
        expect(Object.keys(attribs).every((attribute) => allowed[name]?.includes(attribute))).toBe(true);
      }
    }
  });

  it('is symmetric about the middle column and never empty', () => {
    for (const key of randomKeys) {
      const grid = cellsOf(renderIdenticon(key));
      for (const row of grid) expect(row).toEqual([...row].reverse());
      expect(grid.flat().some(Boolean)).toBe(true);
    }
  });

  it('draws cells in a colour with at least 3:1 contrast against its light tile', () => {
    for (const key of randomKeys) {
      const svg = renderIdenticon(key);
      const background = /<rect [^>]*fill="(#[0-9a-f]{6})"/.exec(svg)?.[1] ?? '';
      const foreground = /<path [^>]*fill="(#[0-9a-f]{6})"/.exec(svg)?.[1] ?? '';
      expect(background).toMatch(/^#[0-9a-f]{6}$/);
      expect(foreground).toMatch(/^#[0-9a-f]{6}$/);
      expect(contrast(background, '#ffffff')).toBeLessThan(1.25); // a light tile
      expect(contrast(foreground, background)).toBeGreaterThanOrEqual(3);
    }
  });

  it('works for any string and never echoes the key', () => {
    for (const key of ['', 'a', 'someone@example.com', 'مستخدم', '\u0000\uD800', 'x'.repeat(10_000)]) {
      const svg = renderIdenticon(key);
      expect(parseSvg(svg).other).toEqual([]);
      if (key.length >= 6) expect(svg).not.toContain(key);
    }
  });
});

describe('isValidAvatarKey', () => {
  it.each([
    'abcdefghijklmnop',
    'A'.repeat(64),
    '0123456789abcdef0123456789abcdef',
    'q3J9xk2L-mP0vZr8_T',
    randomBytes(32).toString('base64url'),
  ])('accepts %j', (key) => {
    expect(isValidAvatarKey(key)).toBe(true);
  });

  it.each([
    '',
    'abcdefghijklmno',
    'A'.repeat(65),
    'abcdefghijklmnop\n',
    ' abcdefghijklmnop',
    'abcdefghijklmnop.svg',
    'abcdefghijklmnop=',
    'abcd+efgh/ijklmnop',
    '../../../etc/passwd',
    '%2e%2e%2fabcdefghijklmnop',
    'someone@example.com',
    '١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦',
    'abcdefghijklmnop\u0000',
  ])('refuses %j', (key) => {
    expect(isValidAvatarKey(key)).toBe(false);
  });
});
