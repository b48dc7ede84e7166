// Entry point of the console bundle (scripts/build-console.mjs): shows the login form or, with a valid
// session cookie, the console for the user's role; logout returns to the form and drops every victim detail.
import type { UserView } from '../protocol/schemas/index.js';
import { api, ApiFailure } from './api.js';
import { App } from './app.js';
import { byId } from './dom.js';

let app: App | null = null;

/** `keep`: the session ended without a logout; the same user signing in again resumes (App.pause). */
function showLogin(message = '', keep = false): void {
  if (keep) app?.pause();
  else {
    app?.stop();
    app = null;
  }
  byId('app').hidden = true;
  byId('logout').hidden = true;
  byId('help-btn').hidden = true;
  byId('user').textContent = '';
  byId('conn').textContent = 'Signed out';
  byId('conn').dataset['state'] = 'signed-out';
  byId('conn-announce').textContent = 'Signed out.';
  // An open dialog (the close form with her note, a question) stayed over the login screen, the login form inert
  // behind it: closed as cancelled (nothing is sent), before the username field takes the focus.
  for (const dlg of document.querySelectorAll<HTMLDialogElement>('dialog[open]')) dlg.close('signed-out');
  byId('login-screen').hidden = false;
  byId('login-error').textContent = message;
  byId<HTMLInputElement>('login-password').value = '';
  byId<HTMLInputElement>('login-username').focus();
}

async function showApp(user: UserView): Promise<void> {
  byId('login-screen').hidden = true;
  byId('app').hidden = false;
  byId('logout').hidden = false;
  // The shortcuts are the call handler's (console/app.ts): no help button for an engineer.
  byId('help-btn').hidden = user.role === 'engineer';
  if (app !== null && app.username === user.username) {
    app.run();
  } else {
    app?.stop();
    const config = await api.config();
    app = new App(user, config, (why) => showLogin(why, true));
    app.start();
  }
  app.unlockAudio();
}

function wire(): void {
  byId<HTMLFormElement>('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const username = byId<HTMLInputElement>('login-username').value.trim();
    const password = byId<HTMLInputElement>('login-password').value;
    const button = byId<HTMLButtonElement>('login-submit');
    button.disabled = true;
    byId('login-error').textContent = '';
    api.login(username, password).then(
      (user) => void showApp(user),
      (err: unknown) => {
        const e = err as ApiFailure;
        byId('login-error').textContent = e.status === 429 ? `Too many attempts: ${e.message}` : e.message;
        byId<HTMLInputElement>('login-password').select();
      },
    ).finally(() => (button.disabled = false));
  });
  byId('logout').addEventListener('click', () => {
    api.logout().catch(() => undefined).finally(() => showLogin('Logged out.'));
  });
  byId('help-btn').addEventListener('click', () => byId<HTMLDialogElement>('help-dialog').showModal());
  // Any gesture wakes the audio (browsers start the AudioContext suspended).
  for (const type of ['click', 'keydown']) document.addEventListener(type, () => app?.unlockAudio(), { capture: true });
  const outcome = byId<HTMLSelectElement>('close-outcome');
  const force = byId<HTMLInputElement>('close-force');
  const syncForce = () => {
    const transferred = outcome.value === 'transferred';
    byId('close-force-row').hidden = !transferred;
    force.required = transferred;
  };
  outcome.addEventListener('change', syncForce);
  byId<HTMLFormElement>('close-form').addEventListener('reset', () => setTimeout(syncForce, 0));
  byId('close-cancel').addEventListener('click', () => byId<HTMLDialogElement>('close-dialog').close('cancel'));
  byId('confirm-no').addEventListener('click', () => byId<HTMLDialogElement>('confirm-dialog').close('no'));
}

wire();
api.me().then(
  (user) => void showApp(user),
  (err: unknown) => showLogin(err instanceof ApiFailure && err.status !== 401 ? err.message : ''),
);
