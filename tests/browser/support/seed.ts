import { type CreateCommentRequest, createClient, type HiwarClient } from '@hiwar/sdk';
import { inject } from 'vitest';

/** An SDK client for `site`, talking to the suite's server as a Node program does (no Origin). */
export function client(site: string): HiwarClient {
  return createClient({ baseUrl: inject('hiwar').apiUrl, site, retries: 0 });
}

let n = 0;

/** Posts a comment on `url` with a made-up author unless one is given. */
export async function post(
  site: string,
  url: string,
  body: string,
  extra: Partial<CreateCommentRequest> = {},
) {
  n += 1;
  return client(site).comments.create({
    url,
    body,
    author: { name: `قارئ ${n}`, email: `reader${n}@example.org` },
    ...extra,
  });
}

/** Posts `count` top-level comments on `url`, one after another (so their order is known); returns their ids. */
export async function postMany(
  site: string,
  url: string,
  count: number,
  body = (i: number) => `تعليق رقم ${i + 1}`,
) {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await post(site, url, body(i))).comment.id);
  return ids;
}

/**
 * A thread that shows what the widget must draw: replies two levels deep, an
 * edited comment, a deleted one with replies (its placeholder), a link, a quote,
 * code and a long name, in Arabic or English.
 */
export async function seedShowcase(site: string, url: string, lang: 'ar' | 'en'): Promise<void> {
  const ar = lang === 'ar';
  const as = (name: string, email: string, website?: string) => ({ author: { name, email, website } });
  const first = await post(
    site,
    url,
    ar
      ? 'مقال مهم، شكراً على التغطية. أتمنى أن **تنجح** جهود إحلال السلام في أفغانستان.'
      : 'An important piece, thank you. I hope the **peace efforts** in Afghanistan succeed.',
    as(ar ? 'سلمى الخطيب' : 'Salma Khatib', 'salma@example.org', 'https://salma.example'),
  );
  const reply = await post(
    site,
    url,
    ar
      ? '> تنجح جهود إحلال السلام\n\nأتفق معك، لكن الطريق ما زال طويلاً.'
      : '> the peace efforts\n\nAgreed, though the road is long.',
    { ...as(ar ? 'يوسف' : 'Yusuf', 'yusuf@example.org'), parentId: first.comment.id },
  );
  await post(site, url, ar ? 'صحيح تماماً.' : 'Quite right.', {
    ...as(ar ? 'مريم' : 'Maryam', 'maryam@example.org'),
    parentId: reply.comment.id,
  });
  const edited = await post(
    site,
    url,
    ar ? 'الاتفاق النووي عام 2015 كان نقطة تحول.' : 'The 2015 nuclear deal was a turning point.',
    as(
      ar
        ? 'عبد الرحمن بن عبد العزيز آل سعود الطويل الاسم جداً'
        : 'Abdulrahman ibn Abdulaziz of the very long name',
      'long@example.org',
    ),
  );
  await client(site).comments.update(
    edited.comment.id,
    {
      body: ar
        ? 'الاتفاق النووي عام 2015 كان نقطة تحول مهمة. راجع [النص الكامل](https://news.example/deal).'
        : 'The 2015 nuclear deal was a real turning point. See [the full text](https://news.example/deal).',
    },
    { editToken: edited.editToken },
  );
  const removed = await post(
    site,
    url,
    ar ? 'تعليق سيُحذف.' : 'A comment to be deleted.',
    as('X', 'x@example.org'),
  );
  await post(site, url, ar ? 'رد على تعليق محذوف.' : 'A reply to a deleted comment.', {
    ...as(ar ? 'ليلى' : 'Layla', 'layla@example.org'),
    parentId: removed.comment.id,
  });
  await client(site).comments.remove(removed.comment.id, { editToken: removed.editToken });
  await post(
    site,
    url,
    ar
      ? 'للمطورين: استخدموا `mount(el, options)` في التطبيقات.\n\n```\nnpm run build\n```'
      : 'For developers: use `mount(el, options)` in apps.\n\n```\nnpm run build\n```',
    as('Dev', 'dev@example.org', 'https://dev.example'),
  );
}
