// A publisher's page on another origin than the Hiwar server, for looking at the
// widget by hand and taking screenshots. Not part of the build or the tests.
//
//   node dev/serve.mjs [port=8098] [hiwar=http://localhost:8099]
//   open http://localhost:8098/?lang=ar&theme=dark   (lang: ar|en|, theme: auto|light|dark)
//
// The page sends a strict Content-Security-Policy naming only the Hiwar origin,
// as a cautious publisher would.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 8098);
const hiwar = (process.argv[3] ?? 'http://localhost:8099').replace(/\/+$/, '');
const esc = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (q) => {
  const lang = q.get('lang') ?? '';
  const htmlLang = q.get('html') ?? (lang || 'ar');
  const attrs = [
    `data-site="${esc(q.get('site') ?? 'demo')}"`,
    `data-url="${esc(q.get('url') ?? `http://localhost:${port}/news/1`)}"`,
    lang && `data-lang="${esc(lang)}"`,
    q.get('theme') && `data-theme="${esc(q.get('theme'))}"`,
    q.get('digits') && `data-digits="${esc(q.get('digits'))}"`,
    q.get('loading') && `data-loading="${esc(q.get('loading'))}"`,
  ].filter(Boolean);
  const dark = q.get('theme') === 'dark';
  return `<!doctype html>
<html lang="${esc(htmlLang)}" dir="${htmlLang === 'en' ? 'ltr' : 'rtl'}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host page</title>
<link rel="stylesheet" href="/host.css">
</head>
<body class="${dark ? 'dark' : ''}">
<main>
<h1>${htmlLang === 'en' ? 'An article' : 'مقال تجريبي'}</h1>
<p>${htmlLang === 'en' ? 'Some text of the article.' : 'نص المقال هنا. هذه صفحة ناشر على أصل مختلف عن خادم التعليقات.'}</p>
<div data-hiwar></div>
<script src="${hiwar}/embed.js" ${attrs.join(' ')} async></script>
</main>
</body>
</html>`;
};

// Hostile-ish host styles: the widget must not be affected.
const css = `body{font:18px/1.5 Georgia,serif;margin:0;padding:2rem;max-width:52rem;margin-inline:auto;text-transform:none}
body.dark{background:#101214;color:#ddd}
p,li,span{letter-spacing:.05em}
button{background:hotpink!important}
h2{color:red;font-size:3rem}`;

// Three widgets mounted through the module API, as a single-page app would (/three).
const three = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Three widgets</title><link rel="stylesheet" href="/host.css"></head>
<body><div id="a"></div><div id="b"></div><div id="c"></div><script type="module" src="/three.js"></script></body></html>`;
const threeJs = `import { mount } from '${hiwar}/hiwar.js';
window.ready = 0;
window.widgets = ['a', 'b', 'c'].map((id, i) => {
  const el = document.getElementById(id);
  el.addEventListener('hiwar:ready', () => window.ready++);
  return mount(el, { site: 'demo', url: 'http://localhost:${port}/news/' + (i + 1), lang: i ? 'en' : 'ar' });
});`;

createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://localhost:${port}`);
  if (url.pathname === '/three' || url.pathname === '/three.js') {
    const js = url.pathname === '/three.js';
    res
      .writeHead(200, {
        'Content-Type': js ? 'text/javascript' : 'text/html; charset=utf-8',
        'Content-Security-Policy': `default-src 'none'; script-src 'self' ${hiwar}; connect-src ${hiwar}; img-src ${hiwar}; style-src 'self'`,
      })
      .end(js ? threeJs : three);
    return;
  }
  if (url.pathname === '/host.css') {
    res.writeHead(200, { 'Content-Type': 'text/css' }).end(css);
    return;
  }
  res
    .writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; script-src ${hiwar}; connect-src ${hiwar}; img-src ${hiwar}; style-src 'self'`,
    })
    .end(page(url.searchParams));
}).listen(port, () => console.log(`host page: http://localhost:${port}/?lang=ar&theme=light`));
