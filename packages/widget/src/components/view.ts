import { Component, type ComponentChildren, type ComponentType } from 'preact';
import { effect } from '../signals.js';
import type { WidgetContext } from './context.js';

/**
 * A component drawn from its props and its widget's context (from `WidgetProvider`)
 * that draws itself again when a signal it read while drawing changes. Each drawing
 * runs in an effect of its own, which records the signals read; the first change
 * after it asks Preact for a new drawing, which records them afresh. (What
 * `@preact/signals` does for every component, in the few lines the widget needs:
 * no hooks, no signals in JSX.)
 *
 * @example
 * export const Status = view((_, { thread, locale }) => <p>{locale.value.t.retry}</p>);
 */
export function view<P extends object = object>(
  draw: (props: P, widget: WidgetContext) => ComponentChildren,
): ComponentType<P> {
  return class View extends Component<P> {
    /** Stops the effect of the last drawing. */
    declare _stop?: () => void;

    override render(props: P, _state: unknown, widget: WidgetContext): ComponentChildren {
      this._stop?.();
      let drawn = false;
      let out: ComponentChildren;
      this._stop = effect(() => {
        if (drawn) this.forceUpdate();
        else {
          drawn = true;
          out = draw(props, widget);
        }
      });
      return out;
    }

    override componentWillUnmount() {
      this._stop?.();
    }
  };
}
