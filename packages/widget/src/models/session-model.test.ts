import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../test-support/fake-api.js';
import { createSessionModel, OWN_COMMENT_TTL_MS } from './session-model.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');
const session = (storage: Storage | null, thread = 'url:https://news.example/a/1', now = NOW) =>
  createSessionModel({ storage, site: 'news', thread, now: () => now });

describe('SessionModel', () => {
  it('keeps the identity for the whole site, and forgets it on request', () => {
    const storage = memoryStorage();
    session(storage).rememberIdentity({ name: 'سلمى', email: 's@example.com', website: '' });

    expect(session(storage, 'id:other').identity.value?.name).toBe('سلمى');
    expect(JSON.parse(storage.getItem('hiwar:v1:news:identity') ?? '')).toMatchObject({
      email: 's@example.com',
    });

    session(storage).rememberIdentity(null);
    expect(storage.getItem('hiwar:v1:news:identity')).toBeNull();
    expect(session(storage).identity.value).toBeNull();
  });

  it('keeps the tokens of own comments per thread, and forgets old ones', () => {
    const storage = memoryStorage();
    const here = session(storage);
    here.addOwn({ id: '1', editToken: 't1', editableUntil: '2025-03-01T12:15:00Z' });
    here.addOwn({ id: '2', editToken: 't2', editableUntil: '2025-03-01T12:15:00Z' });
    here.updateOwn('2', { body: 'نص' });
    here.removeOwn('1');

    expect(session(storage).own.value).toEqual([
      { id: '2', editToken: 't2', editableUntil: '2025-03-01T12:15:00Z', body: 'نص', savedAt: NOW },
    ]);
    expect(session(storage, 'url:https://news.example/a/2').own.value).toEqual([]);
    expect(session(storage, undefined, NOW + OWN_COMMENT_TTL_MS + 1).own.value).toEqual([]);
  });

  it('keeps one draft per thread and removes an emptied one', () => {
    const storage = memoryStorage();
    session(storage).saveDraft('مسودة');
    expect(session(storage).loadDraft()).toBe('مسودة');
    expect(session(storage, 'id:other').loadDraft()).toBe('');

    session(storage).saveDraft('   ');
    expect(storage.data.size).toBe(0);
  });

  it('ignores what it cannot read, and works in memory when storage refuses', () => {
    const storage = memoryStorage();
    storage.setItem('hiwar:v1:news:identity', '{not json');
    storage.setItem('hiwar:v1:news:own:url:https://news.example/a/1', '"a string"');
    expect(session(storage).identity.value).toBeNull();
    expect(session(storage).own.value).toEqual([]);

    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {},
    } as unknown as Storage;
    const inMemory = session(refusing);
    inMemory.addOwn({ id: '7', editToken: 't', editableUntil: '' });
    expect(inMemory.ownComment('7')?.editToken).toBe('t');
    expect(session(null).loadDraft()).toBe('');
  });
});
