import type { HiwarError } from '@hiwar/sdk';
import { useWidget } from './context.js';

/** Why something could not be loaded, in words, and a button to try again. */
export function LoadError({ error, retry }: { error?: HiwarError | null; retry: (event: Event) => unknown }) {
  const { t } = useWidget().locale.value;
  return (
    <div part="load-error" role="alert" class="alert row">
      {t.loadError} {error && t.codes[error.code]}
      <button type="button" onClick={retry}>
        {t.retry}
      </button>
    </div>
  );
}
