import { signal } from '@preact/signals';

export interface Toast {
  id: number;
  text: string;
  /** A button beside the text, e.g. «تراجع» undoing the last action. */
  action?: { label: string; run: () => void };
  error?: boolean;
}

const LIFETIME_MS = 10_000;

/**
 * Short messages in an `aria-live` region: what an action did, with an undo
 * button, or what went wrong. Each goes away after a while or when dismissed.
 *
 * @example
 * toasts.show({ text: 'Approved 3 comments', action: { label: 'Undo', run: undo } });
 */
export function createToasts(setTimer: (run: () => void, ms: number) => unknown = setTimeout) {
  const list = signal<Toast[]>([]);
  let next = 1;
  const dismiss = (id: number) => {
    list.value = list.value.filter((toast) => toast.id !== id);
  };
  return {
    list,
    dismiss,
    show(toast: Omit<Toast, 'id'>): number {
      const id = next++;
      // One at a time: a new action's toast replaces the last one (and its undo).
      list.value = [{ ...toast, id }];
      setTimer(() => dismiss(id), LIFETIME_MS);
      return id;
    },
  };
}

export type Toasts = ReturnType<typeof createToasts>;
