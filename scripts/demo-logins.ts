// `make demo`'s check that the password it prints opens the console (scripts/demo.ts).
//
// Why: the gateway sets the demo users' password only when it creates them (docs/operations.md,
// demoPassword). A store made before data/demo-password (by `npm run gateway -- --demo-users`, which prints a
// random password of its own, or after data/demo-password was deleted) keeps its users and their old
// password, while the demo made a new password file and printed that: every printed login was refused
// (401 'wrong username or password'), with nothing saying why.

/** What a login with the demo's password gave: it works, it is refused, or it could not be checked. */
export type DemoLoginCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly refused: boolean; readonly detail: string };

/**
 * Logs in as `handler` with the password at the gateway at `baseUrl` (http://host:port) and, when that works,
 * logs out again (no session left behind). One request of each: a refusal counts once towards the login rate
 * limit (5 per address in 15 minutes) and is audited as a failed login, as any wrong password is.
 */
export async function checkDemoLogin(baseUrl: string, password: string): Promise<DemoLoginCheck> {
  let res: Response;
  try {
    res = await fetch(new URL('/api/login', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'handler', password }),
    });
  } catch (err) {
    return { ok: false, refused: false, detail: (err as Error).message };
  }
  await res.arrayBuffer();
  if (res.status === 200) {
    const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    await fetch(new URL('/api/logout', baseUrl), { method: 'POST', headers: { cookie } })
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
    return { ok: true };
  }
  return { ok: false, refused: res.status === 401, detail: `HTTP ${res.status}` };
}

/** The lines the demo prints instead of "password X" when the check says the printed password does not work. */
export function demoLoginWarning(check: Exclude<DemoLoginCheck, { ok: true }>, password: string): string {
  const why = check.refused
    ? `The gateway refused the demo password (${password}): the demo users in data/tecsos.db were created\n` +
      '  earlier with another password (by `npm run gateway -- --demo-users`, which printed its own, or before\n' +
      '  data/demo-password was deleted), and the gateway keeps a user\'s first password.\n'
    : `The demo could not check its password (${password}) at the gateway (${check.detail}).\n`;
  return (
    `  ${why}` +
    '  Log in with the password those users were created with (write it to data/demo-password and the demo\n' +
    '  prints it from then on), or stop the demo (Ctrl-C), delete ./data (all stored calls and incidents go\n' +
    '  with it) and run `make demo` again for a fresh start.\n'
  );
}
