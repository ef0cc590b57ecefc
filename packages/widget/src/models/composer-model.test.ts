import { describe, expect, it, vi } from 'vitest';
import { type FakeApiOptions, fakeApi, memoryStorage, PAGE_URL, solves } from '../test-support/fake-api.js';
import { createComposerModel } from './composer-model.js';
import { createSessionModel } from './session-model.js';
import { createThreadModel } from './thread-model.js';

async function setup(options: FakeApiOptions & { storage?: Storage } = {}) {
  const api = fakeApi(options);
  const storage = options.storage ?? memoryStorage();
  const session = createSessionModel({ storage, site: 'news', thread: PAGE_URL });
  const client = api.client();
  const thread = createThreadModel({ client, session, target: { url: PAGE_URL } });
  let keys = 0;
  const onPosted = vi.fn();
  const composer = createComposerModel({
    client,
    session,
    thread,
    target: { url: PAGE_URL, title: 'مقال' },
    onPosted,
    newKey: () => `key-${++keys}`,
  });
  await thread.load();
  const fill = () => {
    composer.body.value = 'مقال رائع';
    composer.name.value = ' سلمى ';
    composer.email.value = 'salma@example.com';
  };
  const posts = () => api.requests.filter((r) => r.method === 'POST');
  return { api, storage, session, thread, composer, fill, posts, onPosted };
}

describe('ComposerModel', () => {
  it('refuses empty required fields without asking the server', async () => {
    const { composer, posts } = await setup();

    expect(await composer.submit()).toBe('invalid');

    expect(composer.fieldErrors.value).toEqual({ body: 'required', name: 'required', email: 'required' });
    expect(posts()).toHaveLength(0);
  });

  it('checks the email and website, and adds https:// to a bare website', async () => {
    const { composer, fill } = await setup();
    fill();
    composer.email.value = 'salma@';
    composer.website.value = 'https://';
    expect(composer.validate()).toEqual({ email: 'invalid_email', website: 'invalid_url' });

    composer.email.value = 'salma@example.com';
    composer.website.value = 'salma.example';
    composer.name.value = 'س'.repeat(246);
    expect(composer.validate()).toEqual({ name: 'too_long' });
    composer.name.value = 'سلمى';
    expect(await composer.submit()).toBe('posted');
    expect(composer.website.value).toBe('https://salma.example');
  });

  it('posts the comment, shows it at once and empties the body', async () => {
    const { composer, fill, posts, thread, session, onPosted } = await setup();
    fill();
    composer.notify.value = true;

    expect(await composer.submit()).toBe('posted');

    expect(posts()[0]?.body).toEqual({
      site: 'news',
      url: PAGE_URL,
      title: 'مقال',
      parentId: null,
      body: 'مقال رائع',
      author: { name: 'سلمى', email: 'salma@example.com' },
      notifyReplies: true,
      homepage: '',
      formToken: 'form-1',
    });
    const id = composer.lastPosted.value ?? '';
    expect(thread.find(id)?.status).toBe('approved');
    expect(thread.thread.value?.commentCount).toBe(1);
    expect(thread.announcement.value?.key).toBe('posted');
    expect(composer.body.value).toBe('');
    expect(composer.name.value).toBe(' سلمى ');
    expect(session.ownComment(id)).toMatchObject({ editToken: `token-${id}`, body: 'مقال رائع' });
    expect(onPosted).toHaveBeenCalledOnce();
  });

  it('shows a held comment to its author only, marked pending', async () => {
    const { composer, fill, thread } = await setup({ status: 'pending' });
    fill();

    expect(await composer.submit()).toBe('pending');

    expect(thread.find(composer.lastPosted.value ?? '')?.status).toBe('pending');
    expect(thread.thread.value?.commentCount).toBe(0);
    expect(thread.announcement.value?.key).toBe('sentPending');
  });

  it('sends a retry of the same comment with the same Idempotency-Key, and a changed one with a new key', async () => {
    const { api, composer, fill, posts } = await setup();
    fill();
    api.failNext(); // the network fails: the comment may or may not have been created
    expect(await composer.submit()).toBe('failed');
    expect(composer.formError.value).toBe('unavailable');
    expect(composer.body.value).toBe('مقال رائع');

    api.failNext(503);
    expect(await composer.submit()).toBe('failed');
    composer.body.value = 'مقال رائع جداً';
    expect(await composer.submit()).toBe('posted');
    fill();
    composer.body.value = 'تعليق ثانٍ';
    expect(await composer.submit()).toBe('posted');

    expect(posts().map((r) => r.headers.get('idempotency-key'))).toEqual([
      'key-1',
      'key-1',
      'key-2',
      'key-3',
    ]);
  });

  it('shows the server’s field errors beside their fields and keeps every word typed', async () => {
    const { api, composer, fill } = await setup();
    fill();
    composer.website.value = 'https://salma.example';
    api.failNext(422, 'validation_failed', {
      fields: { 'author.email': 'invalid_email', 'author.website': 'invalid_url' },
    });

    expect(await composer.submit()).toBe('invalid');
    expect(composer.fieldErrors.value).toEqual({ email: 'invalid_email', website: 'invalid_url' });
    expect(composer.formError.value).toBeNull();

    api.failNext(409, 'duplicate_comment');
    expect(await composer.submit()).toBe('invalid');
    expect(composer.fieldErrors.value).toEqual({ body: 'duplicate_comment' });
    expect([composer.body.value, composer.name.value, composer.email.value]).toEqual([
      'مقال رائع',
      ' سلمى ',
      'salma@example.com',
    ]);
    composer.clearError('body');
    expect(composer.fieldErrors.value.body).toBeUndefined();
  });

  it('shows an error about the whole form (closed thread, unknown site) above the button', async () => {
    const { api, composer, fill } = await setup();
    fill();
    api.failNext(403, 'thread_closed');
    expect(await composer.submit()).toBe('failed');
    expect(composer.formError.value).toBe('thread_closed');
    expect(composer.fieldErrors.value).toEqual({});
    expect(composer.body.value).toBe('مقال رائع');
  });

  it('sends a fresh form token with each comment, with the answer to its puzzle', async () => {
    const { api, composer, fill, posts } = await setup({ challenge: 'require', pow: 8 });
    composer.prepare(); // the form's first focus
    composer.prepare();
    fill();

    expect(await composer.submit()).toBe('posted');
    fill();
    composer.body.value = 'تعليق ثانٍ';
    expect(await composer.submit()).toBe('posted');

    const sent = posts().map((r) => r.body as { formToken: string; proof: string });
    expect(sent.map((body) => body.formToken)).toEqual(['form-1', 'form-2']);
    for (const { formToken, proof } of sent) expect(solves(formToken, proof, 8)).toBe(true);
    // The next one is on its way already.
    expect(api.challengeRequests()).toHaveLength(3);
  });

  it('says it is verifying while the token or its proof is not ready, then posts', async () => {
    const { composer, fill, thread } = await setup({ challenge: 'require', pow: 8 });
    fill();

    const submitted = composer.submit();
    expect(thread.announcement.value?.key).toBe('verifying');
    expect(composer.busy.value).toBe(true);

    expect(await submitted).toBe('posted');
    expect(thread.announcement.value?.key).toBe('posted');
  });

  it('posts without a token when none can be had, keeping the text when the site requires one', async () => {
    const { api, composer, fill, posts, thread } = await setup({ challenge: 'require' });
    fill();
    api.failNextChallenge();

    expect(await composer.submit()).toBe('failed');
    expect(posts()[0]?.body).not.toHaveProperty('formToken');
    expect(composer.formError.value).toBe('challenge_required');
    expect(composer.body.value).toBe('مقال رائع');
    expect(thread.announcement.value).toBeNull(); // no «Verifying…» left behind

    expect(await composer.submit()).toBe('posted');
    expect(posts()[1]?.body).toMatchObject({ formToken: 'form-1' });
  });

  it('gets a new token after an attempt that reached the server, and keeps it after one that did not', async () => {
    const { api, composer, fill, posts } = await setup({ challenge: 'require' });
    fill();
    api.failNext(); // no answer: the token was not spent
    expect(await composer.submit()).toBe('failed');
    api.failNext(403, 'thread_closed');
    expect(await composer.submit()).toBe('failed');
    expect(await composer.submit()).toBe('posted');

    expect(posts().map((r) => (r.body as { formToken: string }).formToken)).toEqual([
      'form-1',
      'form-1',
      'form-2',
    ]);
  });

  it('posts a reply under the comment replied to, then goes back to a new comment', async () => {
    const { api, composer, fill, posts, thread } = await setup();
    const parent = api.add();
    await thread.load();
    composer.setReplyTo(parent);
    fill();

    expect(await composer.submit()).toBe('posted');

    expect(posts()[0]?.body).toMatchObject({ parentId: parent.id });
    expect(thread.nodes.value[0]?.replies.map((r) => r.id)).toEqual([composer.lastPosted.value]);
    expect(composer.replyTo.value).toBeNull();
  });

  it('keeps the draft across a reload, and drops it once posted', async () => {
    const storage = memoryStorage();
    const first = await setup({ storage });
    first.composer.body.value = 'مسودة طويلة';
    first.composer.dispose();

    const second = await setup({ storage });
    expect(second.composer.body.value).toBe('مسودة طويلة');
    second.fill();
    await second.composer.submit();
    const third = await setup({ storage });
    expect(third.composer.body.value).toBe('');
  });

  it('remembers name, email and website only when asked to', async () => {
    const storage = memoryStorage();
    const first = await setup({ storage });
    first.fill();
    first.composer.remember.value = true;
    await first.composer.submit();
    const second = await setup({ storage });
    expect([second.composer.name.value, second.composer.email.value, second.composer.remember.value]).toEqual(
      ['سلمى', 'salma@example.com', true],
    );

    second.fill();
    second.composer.remember.value = false;
    await second.composer.submit();
    const third = await setup({ storage });
    expect([third.composer.name.value, third.composer.remember.value]).toEqual(['', false]);
  });
});
