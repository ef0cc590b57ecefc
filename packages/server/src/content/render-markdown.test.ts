import { Parser } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { MAX_HTML_LENGTH, plainTextExcerpt, renderMarkdown, sanitizeCommentHtml } from './render-markdown.js';

// Written out here rather than imported, so widening the allowlist fails a test.
const ALLOWED = new Set(['p', 'br', 'em', 'strong', 'a', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li']);
const VOID = new Set(['br']);
const REL = 'nofollow ugc noopener';

/** Everything wrong with `html` as comment HTML, read by a real HTML parser. */
function problemsIn(html: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let explicitCloses = 0;
  const parser = new Parser(
    {
      onopentag(name, attribs, isImplied) {
        if (isImplied) problems.push(`implied <${name}>`);
        if (!ALLOWED.has(name)) problems.push(`element <${name}>`);
        for (const [attribute, value] of Object.entries(attribs)) {
          if (name === 'a' && attribute === 'href') {
            const href = value.trim();
            if (!/^https?:\/\//i.test(href)) problems.push(`href ${JSON.stringify(value)}`);
            else if (!['http:', 'https:'].includes(new URL(href).protocol)) problems.push(`href ${value}`);
          } else if (name === 'a' && attribute === 'rel') {
            if (value !== REL) problems.push(`rel ${JSON.stringify(value)}`);
          } else problems.push(`attribute ${attribute} on <${name}>`);
        }
        if (name === 'a' && (attribs.href === undefined || attribs.rel === undefined)) {
          problems.push('<a> without href and rel');
        }
        if (!VOID.has(name)) stack.push(name);
      },
      onclosetag(name, isImplied) {
        if (VOID.has(name)) return;
        if (isImplied) problems.push(`implied </${name}>`);
        else explicitCloses++;
        const open = stack.pop();
        if (open !== name) problems.push(`</${name}> closes <${open}>`);
      },
      oncomment: () => problems.push('comment'),
      oncdatastart: () => problems.push('CDATA'),
      onprocessinginstruction: (name) => problems.push(`processing instruction ${name}`),
    },
    { decodeEntities: true },
  );
  parser.end(html);
  // A parser drops stray end tags silently; count them in the markup instead.
  const endTags = html.match(/<\//g)?.length ?? 0;
  if (endTags !== explicitCloses) problems.push(`${endTags - explicitCloses} stray end tags`);
  if (/<[^>]*\son[a-z]+\s*=/i.test(html)) problems.push('on…= handler');
  return problems;
}

/** Inputs meant to run script, break out of an attribute or smuggle markup. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=http://evil.example/xss.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(1)">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="http://ok.example" onclick="alert(1)">x</a>',
  '<a href="&#106;avascript:alert(1)">x</a>',
  '<a href="java\u0000script:alert(1)">x</a>',
  '<a href=" &#x0A;javascript:alert(1)">x</a>',
  '<a href="http://ok.example" rel="opener" target="_blank" class="c" id="i" style="color:red">x</a>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p class="x" id="y" dir="rtl" title="t">styled</p>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<style>body{display:none}</style>',
  '<form action="javascript:alert(1)"><input type=submit></form>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="data:text/html,<script>alert(1)</script>">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:/">',
  '<!-- <img src=x onerror=alert(1)> -->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<?xml version="1.0"?><x onload=alert(1)/>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<div>\n<script>alert(1)</script>\n</div>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;avascript:alert(1))',
  '[x](&#X6a;&#x61;vascript:alert(1))',
  '[x](java&#x09;script:alert(1))',
  '[x](java&#x0A;script:alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](%6Aavascript:alert(1))',
  '[x]( javascript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](<java script:alert(1)>)',
  '[x](\tjavascript:alert(1))',
  '[x](java\u0000script:alert(1))',
  '[x](\u0001javascript:alert(1))',
  '[x](\u200Bjavascript:alert(1))',
  '[x](javascript:alert(1) "t")',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](DATA:text/html,<script>alert(1)</script>)',
  '[x](vbscript:msgbox(1))',
  '[x](VBScript:msgbox(1))',
  '[x](file:///etc/passwd)',
  '[x](//evil.example/x)',
  '[x](/relative) [y](#top) [z](?q=1)',
  '[x](http://a "onmouseover=alert(1)")',
  `[x](http://a 'x" onmouseover="alert(1)')`,
  '[x](http://a" onmouseover="alert(1))',
  '[x](http://a?"><script>alert(1)</script>)',
  '[x](http://a`onmouseover=alert(1)`)',
  '[x](http://evil.example@javascript:alert(1))',
  '[x][r]\n\n[r]: javascript:alert(1)',
  '[r]\n\n[r]: http://ok.example "a\\" onclick=\\"alert(1)"',
  '[<img src=x onerror=alert(1)>](http://a)',
  '[![x](http://a/img.png)](javascript:alert(1))',
  '**[x](javascript:alert(1))**',
  '*<img src=x onerror=alert(1)>*',
  '![x](javascript:alert(1))',
  '![x](http://a/x.png" onerror="alert(1))',
  '<javascript:alert(1)>',
  '<JAVASCRIPT:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '<vbscript:msgbox(1)>',
  '<mailto:victim@example.com>',
  '<victim@example.com> victim@example.com',
  '<https://ok.example/"onmouseover="alert(1)>',
  'http://example.com/<script>alert(1)</script>',
  'https://example.com/"onmouseover="alert(1)',
  "https://example.com/'onmouseover='alert(1)",
  'http://example.com/?q=<img src=x onerror=alert(1)>',
  '`<script>alert(1)</script>`',
  '``<img src=x onerror=alert(1)>``',
  '```\n<img src=x onerror=alert(1)>\n```',
  '```html" onload="alert(1)\nx\n```',
  '```\n</code></pre><script>alert(1)</script>\n```',
  '    <iframe src=javascript:alert(1)></iframe>',
  '> <script>alert(1)</script>\n>> <img src=x onerror=alert(1)>',
  '> > > > > > [x](javascript:alert(1))',
  '- <script>alert(1)</script>\n  - [x](javascript:alert(1))',
  '\u202E<script>alert(1)</script>',
];

describe('the hostile corpus', () => {
  it('has enough inputs to mean something', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60);
  });

  it.each(HOSTILE)('renderMarkdown(%j) yields only allowlisted, inert HTML', (input) => {
    const html = renderMarkdown(input);
    expect(problemsIn(html)).toEqual([]);
    expect(sanitizeCommentHtml(html)).toBe(html);
  });

  it.each(HOSTILE)('sanitizeCommentHtml(%j) yields only allowlisted, inert HTML', (input) => {
    const html = sanitizeCommentHtml(input);
    expect(problemsIn(html)).toEqual([]);
    expect(sanitizeCommentHtml(html)).toBe(html);
  });
});

describe('the problem finder (so the corpus checks can fail)', () => {
  it.each([
    ['<script>x</script>', 'element <script>'],
    ['<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>', 'href "javascript:alert(1)"'],
    ['<a href="http://a/" rel="nofollow ugc noopener" onclick="x">x</a>', 'attribute onclick on <a>'],
    ['<a href="http://a/">x</a>', '<a> without href and rel'],
    ['<p class="x">x</p>', 'attribute class on <p>'],
    ['<p>x', 'implied </p>'],
    ['<em>x</p>', 'implied </em>'],
    ['<p>x</em></p>', '1 stray end tags'],
    ['<!-- x -->', 'comment'],
  ])('reports %j', (html, problem) => {
    expect(problemsIn(html)).toContain(problem);
  });
});

describe('renderMarkdown', () => {
  it.each([
    ['Hello', '<p>Hello</p>\n'],
    ['first line\nsecond line', '<p>first line<br />\nsecond line</p>\n'],
    ['one\n\ntwo', '<p>one</p>\n<p>two</p>\n'],
    [
      '*soft* _also_ **strong** __too__',
      '<p><em>soft</em> <em>also</em> <strong>strong</strong> <strong>too</strong></p>\n',
    ],
    ['`<b>&</b>`', '<p><code>&lt;b&gt;&amp;&lt;/b&gt;</code></p>\n'],
    ['```html\n<p class="x">hi</p>\n```', '<pre><code>&lt;p class="x"&gt;hi&lt;/p&gt;\n</code></pre>\n'],
    ['    indented <code>', '<pre><code>indented &lt;code&gt;\n</code></pre>\n'],
    [
      '> said\n>> before',
      '<blockquote>\n<p>said</p>\n<blockquote>\n<p>before</p>\n</blockquote>\n</blockquote>\n',
    ],
    ['- tea\n- coffee', '<ul>\n<li>tea</li>\n<li>coffee</li>\n</ul>\n'],
    ['1. first\n2. second', '<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n'],
  ])('renders %j exactly', (source, html) => {
    expect(renderMarkdown(source)).toBe(html);
  });

  it('gives every link exactly href and rel="nofollow ugc noopener"', () => {
    expect(renderMarkdown('[site](https://example.com/a?b=1&c=2)')).toBe(
      '<p><a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">site</a></p>\n',
    );
  });

  it('links bare http(s) URLs, leaving trailing punctuation outside', () => {
    expect(renderMarkdown('see https://example.com/x.')).toBe(
      '<p>see <a href="https://example.com/x" rel="nofollow ugc noopener">https://example.com/x</a>.</p>\n',
    );
  });

  it('leaves email addresses, mailto links, www. and relative links as text', () => {
    const source = 'me@example.com <me@example.com> [mail](mailto:me@example.com) www.example.com [up](/up)';
    expect(renderMarkdown(source)).toBe(
      '<p>me@example.com &lt;me@example.com&gt; [mail](mailto:me@example.com) www.example.com [up](/up)</p>\n',
    );
  });

  it('shows raw HTML as the text that was typed', () => {
    expect(renderMarkdown('<b>bold</b> & <script>alert(1)</script>')).toBe(
      '<p>&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
  });

  it('leaves a link to a script, data or relative URL as the text that was typed', () => {
    expect(renderMarkdown('[a](javascript:alert(1)) [b](data:text/html,x) [c](/x)')).toBe(
      '<p>[a](javascript:alert(1)) [b](data:text/html,x) [c](/x)</p>\n',
    );
  });

  it('does not resolve reference-style links, so one definition cannot be repeated a thousand times', () => {
    expect(renderMarkdown('[a] [a]\n\n[a]: https://example.com/long')).toBe(
      '<p>[a] [a]</p>\n<p>[a]: <a href="https://example.com/long" rel="nofollow ugc noopener">https://example.com/long</a></p>\n',
    );
  });

  it('keeps headings, rules, tables, strikethrough and numbers as typed', () => {
    expect(renderMarkdown('# Title\n---\n| a | b |\n~~no~~')).toBe(
      '<p># Title<br />\n---<br />\n| a | b |<br />\n~~no~~</p>\n',
    );
    expect(renderMarkdown('2019. What a year')).toBe('<p>2019. What a year</p>\n');
  });

  it('turns an image into a link, so no reader fetches a commenter\u2019s image', () => {
    expect(renderMarkdown('![cat](https://img.example/cat.png)')).toBe(
      '<p>!<a href="https://img.example/cat.png" rel="nofollow ugc noopener">cat</a></p>\n',
    );
  });

  it('keeps Arabic text and bidi marks exactly as written', () => {
    const arabic = 'لن يتم نشر عنوان بريدك الإلكتروني\u200F، شكراً!';
    expect(renderMarkdown(arabic)).toBe(`<p>${arabic}</p>\n`);
    expect(renderMarkdown('مقال **مهم** على https://news.example/مقال')).toBe(
      '<p>مقال <strong>مهم</strong> على <a href="https://news.example/%D9%85%D9%82%D8%A7%D9%84"' +
        ' rel="nofollow ugc noopener">https://news.example/مقال</a></p>\n',
    );
  });

  it('renders a full-length ordinary body in full', () => {
    const prose = 'كلمة '.repeat(13_105).trim();
    expect(prose.length).toBe(65_524);
    expect(renderMarkdown(prose)).toBe(`<p>${prose}</p>\n`);
  });

  it('falls back to plain text when markdown would expand past the cap', () => {
    const source = '>\n\n'.repeat(15_000);
    expect(renderMarkdown(source)).toBe('<p>&gt;</p>\n'.repeat(15_000));
  });

  it('cuts a 65 525-character body whose plain text still expands past the cap', () => {
    const html = renderMarkdown('&'.repeat(65_525));
    expect(html.length).toBeLessThanOrEqual(MAX_HTML_LENGTH);
    expect(html).toMatch(/^<p>(&amp;)+…<\/p>\n$/);
  });
});

describe('renderMarkdown on pathological input', () => {
  const pathological: Record<string, string> = {
    '50 000 nested quotes': `${'>'.repeat(50_000)} deep`,
    '100 000 stars': '*'.repeat(100_000),
    'alternating stars': '*a'.repeat(32_762),
    '65 525 backticks': '`'.repeat(65_525),
    'backtick runs of every length': Array.from({ length: 360 }, (_, i) => '`'.repeat(i + 1)).join(' '),
    'open brackets': '['.repeat(65_525),
    'brackets and parens': '[]('.repeat(21_841),
    'deeply nested brackets': `${'['.repeat(30_000)}x${']'.repeat(30_000)}(http://a.example)`,
    'nested emphasis': `${'*_'.repeat(20_000)}x${'_*'.repeat(20_000)}`,
    'deep lists': Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i * 2)}- a`).join('\n'),
    'quote lines': '>\n'.repeat(32_762),
    'hostile URL': `http://${'a.'.repeat(30_000)}`,
    'URL with open parens': `http://a.example/${'('.repeat(30_000)}`,
    'many links': '[a](http://a.example)'.repeat(3_000),
  };

  it.each(Object.entries(pathological))('completes with sane HTML for %s', (_name, source) => {
    const html = renderMarkdown(source);
    expect(html.length).toBeGreaterThan(0);
    expect(html.length).toBeLessThanOrEqual(MAX_HTML_LENGTH);
    expect(problemsIn(html)).toEqual([]);
    expect(sanitizeCommentHtml(html)).toBe(html);
  });
});

describe('sanitizeCommentHtml', () => {
  it('replaces any rel and drops every other attribute of a link', () => {
    expect(
      sanitizeCommentHtml('<a href="https://ok.example/" rel="opener" target="_blank" class="x">x</a>'),
    ).toBe('<a href="https://ok.example/" rel="nofollow ugc noopener">x</a>');
  });

  it('unwraps a link whose href is not http(s), keeping its text', () => {
    expect(sanitizeCommentHtml('<p>go <a href="javascript:alert(1)">here</a></p>')).toBe('<p>go here</p>');
    expect(sanitizeCommentHtml('<a href="mailto:me@example.com">me</a>')).toBe('me');
  });

  it('drops script content but keeps the text of other unknown elements', () => {
    expect(sanitizeCommentHtml('<div>kept</div><script>gone()</script>')).toBe('kept');
  });

  it('changes nothing in its own output', () => {
    const once = sanitizeCommentHtml(
      '<p>a &amp; b <em>c<br>d</em> "q" <a href="http://x.example?a=1&b=2">l</a></p>',
    );
    expect(sanitizeCommentHtml(once)).toBe(once);
  });
});

describe('plainTextExcerpt', () => {
  it('strips tags, decodes entities and collapses whitespace between blocks', () => {
    expect(plainTextExcerpt('<p>Hello <em>world</em></p>\n<p>a &amp; b<br />c</p>', 100)).toBe(
      'Hello world a & b c',
    );
  });

  it('reads the text of rendered markdown', () => {
    const html = renderMarkdown('**Hi** [there](https://x.example)\n\n> quoted\n\n```\n<code>\n```');
    expect(plainTextExcerpt(html, 100)).toBe('Hi there quoted <code>');
  });

  it('cuts to at most max characters, ending with an ellipsis', () => {
    const excerpt = plainTextExcerpt('<p>Hello <em>world</em></p>\n<p>again</p>', 11);
    expect(excerpt).toBe('Hello worl…');
    expect(excerpt.length).toBe(11);
  });

  it('never cuts inside an emoji or a letter with its marks', () => {
    expect(plainTextExcerpt('<p>ab👩‍👩‍👧‍👦cd</p>', 6)).toBe('ab…');
    expect(plainTextExcerpt('<p>مَرْحَبًا</p>', 4)).toBe('مَ…');
  });

  it('leaves out script and style text', () => {
    expect(plainTextExcerpt('<p>x</p><script>alert(1)</script><style>p{}</style>', 50)).toBe('x');
  });

  it('returns an empty string for max 0', () => {
    expect(plainTextExcerpt('<p>text</p>', 0)).toBe('');
  });
});
