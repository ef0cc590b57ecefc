import { render } from 'preact';
import { App } from './components/App.js';
import { AppContext, type AppModels } from './components/context.js';
import { createApi } from './models/api.js';
import { applyPrefs, createPrefs } from './models/prefs.js';
import { createRouter } from './models/router.js';
import { createSession } from './models/session.js';
import { createToasts } from './models/toasts.js';
import './styles/admin.css';

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();

const prefs = createPrefs(storage);
applyPrefs(prefs, document.documentElement);
// The admin API is on the dashboard's own origin; the session cookie goes with every call.
const api = createApi({ baseUrl: '' });
const models: AppModels = {
  prefs,
  router: createRouter(window),
  api,
  session: createSession(api),
  toasts: createToasts(),
};
void models.session.check().catch(() => undefined);

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(
    <AppContext.Provider value={models}>
      <App />
    </AppContext.Provider>,
    root,
  );
}
