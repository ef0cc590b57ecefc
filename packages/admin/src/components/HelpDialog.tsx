import { queueAr } from '../i18n/queue.ar.js';
import { queueEn } from '../i18n/queue.en.js';
import { useApp, useStrings } from './context.js';
import { Modal } from './Modal.js';

/** The list of keyboard shortcuts (`?`), and the switch that turns them off. */
export function HelpDialog({ onClose }: { onClose: () => void }) {
  const { prefs } = useApp();
  const t = useStrings({ ar: queueAr, en: queueEn });
  return (
    <Modal labelledBy="help-title" onClose={onClose} class="help">
      <div class="modal-head">
        <h2 id="help-title">{t.help}</h2>
        <button type="button" class="icon" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </div>
      <dl class="keys">
        {t.keys.map(([key, what]) => (
          <div key={key}>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <p class="note">{t.keysNote}</p>
      <label class="check">
        <input
          type="checkbox"
          checked={prefs.shortcuts.value}
          onChange={(event) => (prefs.shortcuts.value = event.currentTarget.checked)}
        />
        {t.shortcutsOn}
      </label>
    </Modal>
  );
}
