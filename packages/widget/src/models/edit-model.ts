import type { ErrorCode, FieldReason, LiteClient } from '@hiwar/sdk';
import { isHiwarError } from '@hiwar/sdk';
import { batch, type ReadonlySignal, signal } from '../signals.js';
import type { SessionModel } from './session-model.js';
import type { ThreadModel } from './thread-model.js';

export interface EditModelOptions {
  client: LiteClient;
  session: SessionModel;
  thread: ThreadModel;
  /** The current time in ms, ticking, so the time left to edit stays right. */
  now: ReadonlySignal<number>;
}

/**
 * Editing and deleting this browser's own comments inside the edit window. One
 * comment at a time is being edited, or asked about before deleting; the text
 * typed is kept on every error. Part of the chunk `edit.ts` (see edit-slot.ts).
 *
 * @example
 * edit.setOpen(id, 'edit');
 * edit.text.value = 'نص مصحح';
 * await edit.save();
 */
export function createEditModel({ client, session, thread }: EditModelOptions) {
  /** The comment being edited or asked about, and which. */
  const open = signal<{ id: string; mode: 'edit' | 'delete' } | null>(null);
  const text = signal('');
  const busy = signal(false);
  const error = signal<ErrorCode | FieldReason | null>(null);
  const controller = new AbortController();

  /** Runs one edit-token call on the open comment; the model stays open on failure. */
  async function act(run: (id: string, editToken: string) => Promise<void>): Promise<boolean> {
    const id = open.value?.id;
    const own = id && session.ownComment(id);
    if (!own || busy.value) return false;
    busy.value = true;
    error.value = null;
    try {
      await run(own.id, own.editToken);
      open.value = null;
      return true;
    } catch (e) {
      if (isHiwarError(e)) error.value = e.fields?.body ?? e.code;
      return false;
    } finally {
      busy.value = false;
    }
  }

  return {
    open: open as ReadonlySignal<{ id: string; mode: 'edit' | 'delete' } | null>,
    text,
    busy: busy as ReadonlySignal<boolean>,
    error: error as ReadonlySignal<ErrorCode | FieldReason | null>,

    /** Opens the editor on a comment, with the text last sent, or asks before deleting it; null closes. */
    setOpen(id: string | null, mode: 'edit' | 'delete' = 'edit') {
      batch(() => {
        open.value = id ? { id, mode } : null;
        text.value = (id && session.ownComment(id)?.body) || '';
        error.value = null;
      });
    },

    async save(): Promise<boolean> {
      const body = text.value;
      if (!body.trim()) {
        error.value = 'required';
        return false;
      }
      return act(async (id, editToken) => {
        const comment = await client.comments.update(id, { body }, { editToken, signal: controller.signal });
        session.updateOwn(id, { body });
        thread.replace(comment);
        thread.announce('saved');
      });
    },

    remove: () =>
      act(async (id, editToken) => {
        const { placeholder } = await client.comments.remove(id, { editToken, signal: controller.signal });
        session.removeOwn(id);
        thread.markDeleted(id, placeholder);
        thread.announce('removed');
      }),

    dispose() {
      controller.abort();
    },
  };
}

export type EditModel = ReturnType<typeof createEditModel>;
