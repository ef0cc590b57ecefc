import type { Signal } from '../signals.js';
import { view } from './view.js';

/** A checkbox of the comment form, its label after it as in WordPress's form. */
export const Checkbox = view<{ name: 'remember' | 'notify'; checked: Signal<boolean> }>(
  ({ name, checked }, { locale }) => {
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
        <label for={id}>{locale.value.t[name]}</label>
      </div>
    );
  },
);
