import { Component, type FunctionComponent, h } from 'preact';

/**
 * A component that re-renders only when one of its props changed identity (as
 * preact/compat's `memo`, without pulling in compat). Signals read inside still
 * re-render it on their own.
 */
export function memo<P extends object>(render: FunctionComponent<P>): FunctionComponent<P> {
  class Memo extends Component<P> {
    override shouldComponentUpdate(next: P) {
      const current = this.props as Record<string, unknown>;
      const incoming = next as Record<string, unknown>;
      for (const key in incoming) if (key !== 'children' && incoming[key] !== current[key]) return true;
      for (const key in current) if (!(key in incoming)) return true;
      return false;
    }
    override render(props: P) {
      return h(render, props);
    }
  }
  return Memo as unknown as FunctionComponent<P>;
}
