// `npm run gateway -- add-user --username alice --role supervisor [--display-name "Alice Smith"] [--db PATH |
// --config FILE]`: makes an account in the store while the gateway is stopped. The way a new control room gets
// its first supervisor without demo users, and the way back in when every supervisor's password is lost
// (accounts are otherwise made only by a supervisor, POST /api/users; there is no password change: a new
// account, then the old one disabled). docs/operations.md "Users".
//
// The password is read from standard input: typed twice without echo on a terminal, or the first line of a
// pipe (`printf '%s\n' "$PW" | ...`), never from the command line (it would sit in the shell's history and in
// `ps` for everyone on the machine). The store's writer lock refuses a running gateway's store, so the account
// lands in the log exactly as one made through the API would (`user.created`, then an audit entry
// `user.create` whose actor is `add-user`), and the gateway reads it at its next start.
import { UserCreateRequest } from '../../protocol/schemas/users.js';
import { hashPassword } from '../auth/password.js';
import { LogUserDirectory } from '../auth/users.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { RESERVED_USERNAMES } from '../http/routes/user-routes.js';
import { openEventStore } from '../store/index.js';

/** The name written as the creator (`by`) and audit actor of an account made here; no person may take it (RESERVED_USERNAMES). */
export const ADD_USER_ACTOR = 'add-user';

/** Reads the new password: the terminal (twice, no echo) or the first line of a pipe. */
export type PasswordSource = (prompt: string) => Promise<string>;

export type AddUserIo = {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly password: PasswordSource;
};

/** The three flags of add-user, taken out of `argv`; the rest are the gateway's own (--db, --config). */
function takeFlags(argv: readonly string[]): { username?: string; role?: string; displayName?: string; rest: string[] } {
  const own: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--(username|role|display-name)(?:=(.*))?$/s.exec(arg);
    if (m === null) {
      rest.push(arg);
      continue;
    }
    const name = m[1] as string;
    const value = m[2] ?? argv[++i];
    if (value === undefined || (m[2] === undefined && value.startsWith('--'))) throw new ConfigError(`--${name} needs a value`);
    if (own[name] !== undefined) throw new ConfigError(`--${name} given twice`);
    own[name] = value;
  }
  return {
    rest,
    ...(own['username'] !== undefined && { username: own['username'] }),
    ...(own['role'] !== undefined && { role: own['role'] }),
    ...(own['display-name'] !== undefined && { displayName: own['display-name'] }),
  };
}

/**
 * Makes the account; resolves with a line for the operator. Throws ConfigError for anything the operator must
 * change (a flag, the password, a taken name) and the store's errors (a running gateway holds the store).
 */
export async function addUser(argv: readonly string[], io: AddUserIo): Promise<string> {
  const flags = takeFlags(argv);
  if (flags.username === undefined || flags.role === undefined) {
    throw new ConfigError('add-user needs --username <name> and --role call-handler|supervisor|engineer (and may take --display-name "<name>")');
  }
  const config = loadConfig(flags.rest, io.env);
  if (RESERVED_USERNAMES.has(flags.username)) {
    throw new ConfigError(`--username: ${flags.username} is a name the gateway signs its own actions with`);
  }
  // The account's fields are checked before the password is asked for, with the API's own rules.
  const fields = { username: flags.username, displayName: flags.displayName ?? flags.username, role: flags.role };
  const shape = UserCreateRequest.omit({ password: true }).safeParse(fields);
  if (!shape.success) {
    const problems = shape.error.issues.map((i) => `--${i.path.join('.') === 'displayName' ? 'display-name' : i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`add-user: ${problems.join('; ')} (a username is 1-32 of a-z 0-9 . _ -, starting with a letter or digit)`);
  }
  const store = openEventStore({ path: config.db });
  try {
    const users = new LogUserDirectory(store, () => Date.now());
    await users.load(store);
    if (users.find(flags.username) !== undefined) {
      // The console has no page for accounts (docs/operations.md "Users"): the API is the way to disable one.
      throw new ConfigError(
        `user ${flags.username} exists (usernames are never reused: choose another, then, signed in as a supervisor, disable the old account with POST /api/users/${flags.username}/disable; docs/operations.md "Users")`,
      );
    }
    const password = await io.password(`password for ${flags.username} (at least 12 characters): `);
    const body = UserCreateRequest.safeParse({ ...shape.data, password });
    if (!body.success) throw new ConfigError('add-user: the password must be 12 to 256 characters; nothing was written');
    const r = await users.create({ ...shape.data, passwordHash: await hashPassword(password), by: ADD_USER_ACTOR });
    if (!r.ok) throw new ConfigError(`user ${flags.username} exists`);
    await store.appendAudit({ actor: ADD_USER_ACTOR, action: 'user.create', subject: `user:${flags.username}`, detail: `new role=${shape.data.role}; made on the gateway's machine` });
  } finally {
    await store.close();
  }
  return `user ${flags.username} (${shape.data.role}) added to ${config.db}; it can sign in once the gateway is started`;
}
