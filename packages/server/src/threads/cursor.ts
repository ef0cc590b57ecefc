import type { ThreadSort } from '@hiwar/protocol';
import { validationError } from '../http/api-error.js';

export interface Keyset {
  sort: ThreadSort;
  createdAt: Date;
  id: string;
}

/** Opaque cursor: the sort and the last row's (created_at, id), base64url. */
export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(
    `${keyset.sort === 'newest' ? 'n' : 'o'}|${keyset.createdAt.toISOString()}|${keyset.id}`,
  ).toString('base64url');
}

/** Decodes a cursor made for `sort`, or throws `validation_failed` on `cursor`. */
export function decodeCursor(cursor: string, sort: ThreadSort): Keyset {
  const [tag, time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  const expected = sort === 'newest' ? 'n' : 'o';
  // Only the exact form encodeCursor writes, in years both databases store.
  const wellFormed =
    !Number.isNaN(createdAt.getTime()) &&
    createdAt.toISOString() === time &&
    createdAt.getUTCFullYear() >= 1970 &&
    createdAt.getUTCFullYear() <= 9999;
  if (tag !== expected || !wellFormed || !/^[1-9][0-9]{0,17}$/.test(id ?? '')) {
    throw validationError({ cursor: 'invalid' });
  }
  return { sort, createdAt, id: id as string };
}
