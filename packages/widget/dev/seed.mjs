// Posts a few comments (Arabic and English, replies, a long one) to a running
// Hiwar server, as a browser on the host page would.
//
//   node dev/seed.mjs [hiwar=http://localhost:8099] [page=http://localhost:8098/news/1]
const hiwar = (process.argv[2] ?? 'http://localhost:8099').replace(/\/+$/, '');
const url = process.argv[3] ?? 'http://localhost:8098/news/1';
const origin = new URL(url).origin;

async function post(body, author, parentId = null) {
  const res = await fetch(`${hiwar}/api/v1/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ site: 'demo', url, title: 'مقال تجريبي', parentId, body, author }),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(JSON.stringify(json));
  return json.comment.id;
}

const salma = { name: 'سلمى الحسيني', email: 'salma@example.com', website: 'https://salma.example' };
const omar = { name: 'عمر', email: 'omar@example.com' };
const jane = { name: 'Jane Doe', email: 'jane@example.com' };
const a = await post(
  'مقال رائع، شكراً على هذا **التحليل** الوافي. أتمنى أن نرى متابعة لهذه المحادثات.',
  salma,
);
const b = await post(
  'هل هناك مصدر رسمي للبيان؟ أودّ قراءة النص الكامل.\n\n> وأكّدت الرئاسة الروسية في بيان',
  omar,
);
await post('نعم، البيان منشور على موقع الكرملين باللغة الروسية.', salma, b);
const c = await post('A comment in English, mixed with العربية in the middle. *Emphasis* and `code`.', jane);
await post('رد على الرد: شكراً جزيلاً!', omar, b);
await post('Thanks for the link.', jane, c);
console.log('seeded', a, b, c);
