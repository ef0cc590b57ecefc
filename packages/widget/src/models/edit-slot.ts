import type { CommentEditor } from '../components/CommentEditor.js';
import type { OwnActions } from '../components/OwnActions.js';
import { type ReadonlySignal, signal } from '../signals.js';
import type { EditModel, EditModelOptions } from './edit-model.js';

/** The chunk `edit.ts`: editing and deleting one's own comments, once loaded. */
export interface EditUi {
  model: EditModel;
  OwnActions: typeof OwnActions;
  CommentEditor: typeof CommentEditor;
}

/**
 * Where editing and deleting one's own comments plugs in. Most readers never post, so
 * that part of the widget (its model and its controls, `edit.ts`) is a chunk of its
 * own, loaded the first time one of this browser's comments can still be edited;
 * until then `ui` is null and nothing of it is shown.
 *
 * @example
 * const edit = createEditSlot({ client, session, thread, now });
 * if (edit.msLeft(comment.id) > 0) edit.load(); // edit.ui.value fills in once loaded
 */
export function createEditSlot(options: EditModelOptions) {
  const { session, thread, now } = options;
  const ui = signal<EditUi | null>(null);
  let asked = false;
  return {
    ui: ui as ReadonlySignal<EditUi | null>,

    /** Milliseconds left to edit or delete a comment; 0 when it is not ours or too late. */
    msLeft(id: string): number {
      const own = session.ownComment(id);
      return own && !thread.find(id)?.deleted ? Math.max(0, Date.parse(own.editableUntil) - now.value) : 0;
    },

    /** Loads the chunk, once (again after a failure, at the next call). */
    load() {
      if (asked) return;
      asked = true;
      import('../edit.js').then(
        (chunk) => {
          ui.value = { ...chunk, model: chunk.createEditModel(options) };
        },
        () => {
          asked = false;
        },
      );
    },

    dispose() {
      ui.peek()?.model.dispose();
    },
  };
}

export type EditSlot = ReturnType<typeof createEditSlot>;
