import { describe, expect, it, vi } from 'vitest';
import { signal } from '../signals.js';
import { fakeApi, memoryStorage, PAGE_URL } from '../test-support/fake-api.js';
import { createEditModel } from './edit-model.js';
import { createEditSlot } from './edit-slot.js';
import { createSessionModel } from './session-model.js';
import { createThreadModel } from './thread-model.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

async function setup() {
  const api = fakeApi({ now: () => NOW });
  const session = createSessionModel({ storage: memoryStorage(), site: 'news', thread: PAGE_URL });
  const client = api.client();
  const thread = createThreadModel({ client, session, target: { url: PAGE_URL } });
  const now = signal(NOW);
  const edit = createEditModel({ client, session, thread, now });
  const slot = createEditSlot({ client, session, thread, now });
  const mine = api.add();
  session.addOwn({
    id: mine.id,
    editToken: api.tokenOf(mine.id),
    editableUntil: '2025-03-01T12:10:00Z',
    body: 'نص',
  });
  const theirs = api.add();
  await thread.load();
  return { api, session, thread, now, edit, slot, mine, theirs };
}

describe('EditModel', () => {
  it('lets one edit only one’s own comments, inside the window', async () => {
    const { slot, now, mine, theirs } = await setup();
    expect(slot.msLeft(mine.id)).toBe(10 * 60_000);
    expect(slot.msLeft(theirs.id)).toBe(0);
    now.value = Date.parse('2025-03-01T12:10:01Z');
    expect(slot.msLeft(mine.id)).toBe(0);
  });

  it('is loaded when asked, once, and then holds the model and its controls', async () => {
    const { slot, mine } = await setup();
    expect(slot.ui.value).toBeNull();

    slot.load();
    slot.load();
    await vi.waitFor(() => expect(slot.ui.value).not.toBeNull());

    const ui = slot.ui.value;
    expect(Object.keys(ui ?? {}).sort()).toEqual(['CommentEditor', 'OwnActions', 'createEditModel', 'model']);
    ui?.model.setOpen(mine.id);
    expect(ui?.model.text.value).toBe('نص');
    slot.load();
    expect(slot.ui.value).toBe(ui);
  });

  it('edits from the text last sent and shows the new version', async () => {
    const { edit, thread, session, mine } = await setup();
    edit.setOpen(mine.id);
    expect(edit.text.value).toBe('نص');
    edit.text.value = 'نص مصحح';

    expect(await edit.save()).toBe(true);

    expect(thread.find(mine.id)?.html).toBe('<p>نص مصحح</p>');
    expect(thread.find(mine.id)?.editedAt).not.toBeNull();
    expect(session.ownComment(mine.id)?.body).toBe('نص مصحح');
    expect(edit.open.value).toBeNull();
    expect(thread.announcement.value?.key).toBe('saved');
  });

  it('keeps the editor and the text when the window has closed on the server', async () => {
    const { api, edit, mine } = await setup();
    edit.setOpen(mine.id);
    edit.text.value = 'متأخر';
    api.failNext(403, 'edit_window_closed');

    expect(await edit.save()).toBe(false);
    expect(edit.error.value).toBe('edit_window_closed');
    expect(edit.open.value?.id).toBe(mine.id);
    expect(edit.text.value).toBe('متأخر');
  });

  it('deletes after confirmation and forgets the token', async () => {
    const { edit, thread, session, mine } = await setup();
    edit.setOpen(mine.id, 'delete');

    expect(await edit.remove()).toBe(true);

    expect(thread.find(mine.id)).toBeUndefined();
    expect(session.ownComment(mine.id)).toBeUndefined();
    expect(thread.announcement.value?.key).toBe('removed');
  });
});
