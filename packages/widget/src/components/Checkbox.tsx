import type { Signal } from '@preact/signals';
import { useWidget } from './context.js';

/** A checkbox of the comment form, its label after it as in WordPress's form. */
export function Checkbox({ name, checked }: { name: 'remember' | 'notify'; checked: Signal<boolean> }) {
  const id = `hiwar-${name}`;
  return (
    <div class="check">
      <input
        type="checkbox"
        id={id}
        checked={checked.value}
        onChange={(event) => {
          checked.value = event.currentTarget.checked;
        }}
      />
      <label for={id}>{useWidget().locale.value.t[name]}</label>
    </div>
  );
}
