import { describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/users.js';
import { useTestApp } from './harness.js';
import { TEST_SCRYPT } from './helpers/admin.js';
import { getJson, PAGE, postComment, snapshot, threadPath } from './helpers/api.js';

const t = useTestApp();
let n = 0;

/** Posts as `name` with a fresh email, so no other rule (duplicates) gets in the way. */
async function postAs(name: string, extra: Record<string, unknown> = {}) {
  n += 1;
  t.clock.tick();
  return postComment(t, { author: { name, email: `names-${n}@example.org` }, ...extra });
}

async function storedNames(): Promise<string[]> {
  const rows = await t.db.selectFrom('comments').select('author_name').orderBy('id').execute();
  return rows.map((row) => row.author_name);
}

describe('POST /api/v1/comments: names are cleaned (PRECIS / UTS #39)', () => {
  it.each([
    ['a bidi override', '\u202Eأحمد\u202C', 'أحمد'],
    ['embeddings and isolates', '\u202Aسلمى\u2066 \u2069\u202B', 'سلمى'],
    ['LRM, RLM and ALM', '\u200Eزيد\u200F\u061C', 'زيد'],
    ['invisible characters', '\u200Bن\u2060و\uFEFFر\u00AD', 'نور'],
    ['tags and controls', 'Lina\u{E0041}\u0007', 'Lina'],
    ['white space runs', '  Omar \t\t  Khalil\u00A0 ', 'Omar Khalil'],
    ['a ZWNJ between Latin letters', 'Ja\u200Cne', 'Jane'],
  ])('removes %s from a name, in the answer, the database and the thread', async (_what, sent, shown) => {
    await t.addSite({ id: 'news' });
    const posted = await postAs(sent);
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    expect(posted.json.comment.author.name).toBe(shown);
    expect(await storedNames()).toEqual([shown]);
    const thread = await getJson(t, threadPath({ site: 'news', url: PAGE }));
    expect(thread.json.comments[0].author.name).toBe(shown);
  });

  it.each([
    ['a Persian name with ZWNJ', 'علی\u200Cرضا'],
    ['a Persian word with ZWNJ', 'می\u200Cخواهم'],
    ['a Kurdish name with ZWNJ', 'هێمن\u200Cی'],
    ['an emoji ZWJ sequence', '👨\u200D👩\u200D👧'],
    ['an emoji with a skin tone', 'Sara 👩🏽\u200D💻'],
    ['a name with Arabic diacritics', 'مُحَمَّد'],
    ['mixed scripts', 'Ahmad أحمد 123'],
  ])('keeps %s intact', async (_what, name) => {
    await t.addSite({ id: 'news' });
    const posted = await postAs(name);
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    expect(posted.json.comment.author.name).toBe(name);
    expect(await storedNames()).toEqual([name]);
  });

  it('caps a long run of combining marks and keeps the letters', async () => {
    await t.addSite({ id: 'news' });
    const zalgo = `Z${'\u0336\u0334\u0335\u0337'.repeat(40)}ed`;
    const posted = await postAs(zalgo);
    expect(posted.status).toBe(201);
    const [stored] = await storedNames();
    expect(stored?.normalize('NFD')).toMatch(/^Z\p{M}{1,4}ed$/u);
  });

  it.each([
    ['isolates only', '\u2066\u2067\u2068'],
    ['marks only', '\u200F\u200E'],
    ['zero-width only', '\u200B\u2060'],
    ['an override and its end', '\u202E\u202C'],
    ['joiners and spaces', ' \u200D \u200C '],
    ['a Hangul filler', '\u3164'],
  ])('refuses a name of %s: 422 author.name invalid_characters, nothing stored', async (_what, name) => {
    await t.addSite({ id: 'news' });
    const before = await snapshot(t);
    const posted = await postAs(name);
    expect(posted.status).toBe(422);
    expect(posted.json.error.code).toBe('validation_failed');
    expect(posted.json.error.details.fields).toEqual({ 'author.name': 'invalid_characters' });
    expect(await snapshot(t)).toEqual(before);
  });
});

describe('POST /api/v1/comments: reserved and look-alike names', () => {
  it.each([
    ['admin'],
    ['Admin'],
    ['ADMINISTRATOR'],
    ['Аdmin'], // Cyrillic А
    ['аdmіn'], // Cyrillic а, і
    ['ádmin'],
    ['a.d.m.i.n'],
    ['𝐚𝐝𝐦𝐢𝐧'],
    ['\u202Eadmin\u202C'],
    ['moderator'],
    ['m0derat0r'],
    ['Mod'],
    ['Hiwar'],
    ['һіwаr'],
    ['مدير'],
    ['مُدير'],
    ['مـــدير'],
    ['مدیر'],
    ['المدير'],
    ['إلمدير'],
    ['مشرف'],
    ['حوار'],
    ['حوأر'],
    ['news'], // the site's id
    ['NEWS'],
  ])('refuses %j: 422 author.name invalid (reserved), nothing stored', async (name) => {
    await t.addSite({ id: 'news' });
    const before = await snapshot(t);
    const posted = await postAs(name);
    expect(posted.status, JSON.stringify(posted.json)).toBe(422);
    expect(posted.json.error.code).toBe('validation_failed');
    expect(posted.json.error.details).toEqual({ fields: { 'author.name': 'invalid' }, reason: 'reserved' });
    expect(await snapshot(t)).toEqual(before);
  });

  it.each([['Adam'], ['Modi'], ['مدينة'], ['حور'], ['Administration office'], ['محمد المديري']])(
    'allows %j, which only resembles a reserved word',
    async (name) => {
      await t.addSite({ id: 'news' });
      const posted = await postAs(name);
      expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    },
  );

  it('refuses the names of the site’s moderators and of owners, and their look-alikes', async () => {
    await t.addSite({ id: 'news' });
    await t.addSite({ id: 'other' });
    const user = (username: string, displayName: string, role: 'owner' | 'moderator', sites: string[]) =>
      createUser(
        t.db,
        { username, displayName, password: 'long-password-1', role, sites },
        null,
        TEST_SCRYPT,
      );
    await user('salma.k', 'سلمى خالد', 'moderator', ['news']);
    await user('boss', 'Rania', 'owner', []);
    await user('elsewhere', 'Karim', 'moderator', ['other']);
    const disabled = await user('gone', 'Yusuf', 'moderator', ['news']);
    await t.db.updateTable('users').set({ disabled: true }).where('id', '=', disabled.id).execute();

    for (const name of ['سلمى خالد', 'سَلمى  خالد', 'Salma.K', 'SALMA K', 'Rania', 'Rаnia', 'boss']) {
      const posted = await postAs(name);
      expect(posted.status, name).toBe(422);
      expect(posted.json.error.details.reason, name).toBe('reserved');
    }
    // A moderator of another site, and a disabled account, do not reserve their names here.
    for (const name of ['Karim', 'elsewhere', 'Yusuf', 'سلمى']) {
      expect((await postAs(name)).status, name).toBe(201);
    }
    expect((await postAs('Karim', { site: 'other', url: 'https://news.example/o' })).status).toBe(422);
  });

  it('cleans a moderator’s display name the same way', async () => {
    const made = await createUser(
      t.db,
      { username: 'mod1', displayName: '\u202Eسلمى\u200B', password: 'long-password-1', role: 'owner' },
      null,
      TEST_SCRYPT,
    );
    expect(made.displayName).toBe('سلمى');
    const blank = await createUser(
      t.db,
      { username: 'mod2', displayName: '\u2066\u2069', password: 'long-password-2', role: 'owner' },
      null,
      TEST_SCRYPT,
    );
    expect(blank.displayName).toBe('mod2');
  });
});
