import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface ModalProps {
  /** The id of the heading inside that names the dialog. */
  labelledBy: string;
  onClose: () => void;
  class?: string;
  children: ComponentChildren;
}

/**
 * A real modal: a `<dialog>` opened with `showModal()`, so the page behind is inert
 * (focus stays inside), Escape closes it, and focus returns to whatever opened it.
 */
export function Modal({ labelledBy, onClose, children, class: className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is for the mouse; Escape closes from the keyboard
    <dialog
      ref={ref}
      class={`modal ${className ?? ''}`}
      aria-labelledby={labelledBy}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === ref.current) close.current();
      }}
    >
      <div class="modal-body">{children}</div>
    </dialog>
  );
}
