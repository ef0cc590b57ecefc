/**
 * Editing and deleting one's own comments, a chunk of its own (see
 * models/edit-slot.ts): loaded when one of this browser's comments can still be
 * edited. It imports Preact, the signals and the SDK from the app module.
 */
export { CommentEditor } from './components/CommentEditor.js';
export { OwnActions } from './components/OwnActions.js';
export { createEditModel } from './models/edit-model.js';
