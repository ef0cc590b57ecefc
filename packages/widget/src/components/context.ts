import type { ErrorCode } from '@hiwar/sdk';
import { Component, type ComponentChildren } from 'preact';
import type { Locale } from '../i18n/locale.js';
import type { Messages } from '../i18n/messages.js';
import type { ComposerModel, FieldProblem } from '../models/composer-model.js';
import type { EditSlot } from '../models/edit-slot.js';
import type { ThreadModel } from '../models/thread-model.js';
import type { ReadonlySignal } from '../signals.js';

export type Theme = 'auto' | 'light' | 'dark';

/** What every component of one mounted widget reads: its models and settings. */
export interface WidgetContext {
  thread: ThreadModel;
  composer: ComposerModel;
  /** Editing and deleting one's own comments, loaded when needed. */
  edit: EditSlot;
  locale: ReadonlySignal<Locale>;
  theme: ReadonlySignal<Theme>;
  /** The current time, ticking, for relative times and edit windows. */
  now: ReadonlySignal<number>;
  /** An avatar path made absolute against the Hiwar server. */
  avatarUrl(path: string): string;
}

/**
 * Gives the components under it (made with `view()`) their widget's context, through
 * Preact's built-in legacy context: `createContext` would cost bytes the budget lacks.
 */
export class WidgetProvider extends Component<{ widget: WidgetContext; children: ComponentChildren }> {
  override getChildContext(): WidgetContext {
    return this.props.widget;
  }

  override render(): ComponentChildren {
    return this.props.children;
  }
}

/** The shadow root an event happened in. Take it before any await: `currentTarget` is gone after. */
export const rootOf = (event: Event): ParentNode => (event.currentTarget as Node).getRootNode() as ParentNode;

/** Focuses what `selector` names in `root`, once the change just made has rendered. */
export const focusIn = (root: ParentNode, selector: string): void => {
  setTimeout(() => root.querySelector<HTMLElement>(selector)?.focus());
};

/** The words for a field reason or an API code. */
export const problemText = (t: Messages, problem: FieldProblem): string =>
  (t.reasons as Record<string, string>)[problem] ?? t.codes[problem as ErrorCode];
