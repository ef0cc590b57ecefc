import type { HiwarError } from '@hiwar/sdk';
import { view } from './view.js';

/** Why something could not be loaded, in words, and a button to try again. */
export const LoadError = view<{ error?: HiwarError | null; retry: (event: Event) => unknown }>(
  ({ error, retry }, { locale }) => {
    const { t } = locale.value;
    return (
      <div part="load-error" role="alert" class="alert row">
        {t.loadError} {error && t.codes[error.code]}
        <button type="button" onClick={retry}>
          {t.retry}
        </button>
      </div>
    );
  },
);
