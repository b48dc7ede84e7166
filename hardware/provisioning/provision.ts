// `tecsos provision`: a blank handset becomes a victim's lifeline, in steps, each shown as it runs:
//
//   identify      AT+TSINFO?                      id, IMEI, provisioned?
//   gateway       POST /api/login, GET /api/handsets   engineer account works; id and number free (or --replace,
//                                                   and then not in an open incident)
//   authenticate  AT+TSAUTH? / AT+TSAUTH=<sig>    the fleet key's signature of TSAUTH1;<id>;<nonce>
//   key           32 random bytes                 the handset's report key (node:crypto, never written to disk)
//   config        AT+TSCFG=<name>,"<value>" ...   staged only (RAM)
//   write-key     AT+TSKEY=<64 hex>               staged only
//   commit        AT+TSCOMMIT                     config + key in one atomic flash write
//   read-back     AT+TSCFG?, AT+TSINFO?           every written value as the handset now has it; provisioned 1
//   self-test     AT+TSSELFTEST                   flash, battery, button (press it), modem, gps
//   register      POST /api/handsets              number, IMEI, key, force, victim record
//   verify-report AT+TSTEST, GET /api/handsets    a TST report signed with the new key reached the gateway
//
// Never half-provisioned (docs/provisioning.md, "Atomicity"): before the commit nothing is in flash (a
// disconnect drops the staging), so a failure leaves the handset as it was. After the commit and before the
// gateway has accepted the registration, any failure wipes the handset (AT+TSWIPE; the session stays
// authenticated after a commit): a handset that looks provisioned but whose reports and calls the gateway
// cannot recognise would fail silently on the day it is needed. If the wipe itself cannot be done (the cable
// is gone), the tool says so and prints the exact `tecsos wipe` command. Once registered, the handset is fully
// provisioned; a test report that does not arrive in time is reported as a verification failure, not undone (the
// gateway lists the handset `untested` until a report signed with its key is accepted).

import { createHmac } from 'node:crypto';
import { keyCheckValue } from '../../protocol/report/key-check.js';
import { HandsetRegisterRequest, type HandsetView, type VictimRecord } from '../../protocol/schemas/handsets.js';
import { authenticate } from './authenticate.js';
import { HandsetConsoleError } from './console-errors.js';
import { blankHandsetInAlarm, consoleFailure, gatewayFailure, type ToolFailure } from './failure.js';
import type { FleetKey } from './fleet-key.js';
import type { GatewayClient } from './gateway-client.js';
import type { HandsetConsole } from './handset-console.js';
import type { HandsetInfo, SelfTestItem } from './responses.js';
import { verifyReport } from './report-check.js';
import { runSelfTest } from './self-test.js';
import { compareReadBack, settingsToWrite, type SettingsPlan } from './settings.js';

/** The steps, in order, as progress events name them. */
export const PROVISION_STEPS = [
  'identify',
  'gateway',
  'authenticate',
  'key',
  'config',
  'write-key',
  'commit',
  'read-back',
  'self-test',
  'register',
  'verify-report',
  'rollback',
] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number];

/** One progress line: a step started, finished, failed, or a note (e.g. "press the button"). */
export type ProgressEvent = { readonly step: ProvisionStep; readonly status: 'start' | 'done' | 'failed' | 'note'; readonly detail?: string };

export type ProvisionRequest = {
  readonly spec: string;
  /** The key file's path, for the commands printed when something must be finished by hand. */
  readonly keyFile: string;
  readonly settings: SettingsPlan;
  readonly registration: {
    readonly number: string;
    readonly force: string;
    readonly victim: VictimRecord;
    readonly testMode: boolean;
    readonly replace: boolean;
  };
  readonly username: string;
  readonly password: string;
  readonly allowFail: ReadonlySet<string>;
  readonly buttonWaitMs: number;
  /** How long to wait for the test report at the gateway (ms); 0 skips the check. */
  readonly verifyReportMs: number;
};

export type ProvisionDeps = {
  readonly usb: HandsetConsole;
  readonly fleetKey: FleetKey;
  readonly gateway: GatewayClient;
  /** 32 bytes from a cryptographic random source. */
  readonly reportKey: () => Uint8Array;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly progress: (e: ProgressEvent) => void;
  /** Opens the port again (after the line went away mid-commit), or undefined when it cannot be opened. */
  readonly reopen?: () => Promise<HandsetConsole | undefined>;
  /**
   * The engineer interrupted the tool (Ctrl-C). The step in flight finishes; then, before the commit, nothing
   * more is done; between the commit and the registration the handset is wiped; after the registration it is
   * left fully provisioned, the test report unchecked.
   */
  readonly interrupted?: AbortSignal;
};

export type ProvisionResult =
  | {
      readonly ok: true;
      readonly handset: HandsetInfo;
      readonly registrationSeq: number;
      readonly selfTest: readonly SelfTestItem[];
      /** True when a TST report signed with the new key reached the gateway; false when the check was skipped. */
      readonly reportVerified: boolean;
    }
  | { readonly ok: false; readonly failure: ToolFailure; readonly handset?: HandsetInfo; readonly selfTest?: readonly SelfTestItem[] };

/** Runs the whole procedure (see the file comment). Never throws for a handset, line or gateway fault. */
export async function provision(req: ProvisionRequest, deps: ProvisionDeps): Promise<ProvisionResult> {
  const { usb, gateway, progress } = deps;
  const step = (s: ProvisionStep, status: ProgressEvent['status'], detail?: string) => progress({ step: s, status, ...(detail !== undefined && { detail }) });
  const again = `run the same tecsos provision command again`;
  const failed = (s: ProvisionStep, failure: ToolFailure, extra: Partial<Extract<ProvisionResult, { ok: false }>> = {}): ProvisionResult => {
    step(s, 'failed', failure.message);
    return { ok: false, failure, ...extra };
  };

  const plan = settingsToWrite(req.settings);
  if (!plan.ok) return { ok: false, failure: { kind: 'usage', message: plan.reason, next: 'fix the options' } };
  const interrupted = (): boolean => deps.interrupted?.aborted === true;
  /** Before the commit: stop, nothing written. */
  const stopped = (s: ProvisionStep, extra: Partial<Extract<ProvisionResult, { ok: false }>> = {}): ProvisionResult =>
    failed(s, { kind: 'interrupted', message: 'interrupted before the commit', next: `nothing was committed: the handset is as it was. When ready, ${again}`, handsetState: 'unchanged' }, extra);

  // identify
  step('identify', 'start');
  const info = await usb.info();
  if (!info.ok) return failed('identify', { ...consoleFailure(info.failure, req.spec), handsetState: 'unchanged' });
  const handset = info.value;
  step('identify', 'done', `${handset.id}, firmware ${handset.firmware}, IMEI ${handset.imei}, ${handset.provisioned ? 'provisioned' : 'not provisioned'}`);
  if (handset.provisioned && !req.registration.replace) {
    return failed('identify', { kind: 'handset', message: `${handset.id} is provisioned already`, next: 'to re-provision it (new key, new registration) add --replace; to retire it run tecsos wipe', handsetState: 'unchanged' }, { handset });
  }

  // The gateway registers only an id and IMEI of its form: a handset (or another device) reporting others would
  // otherwise be keyed, committed and self-tested before the registration's 400 wiped it again.
  const unregistrable = identityProblem(handset);
  if (unregistrable !== undefined) {
    return failed('identify', { kind: 'handset', message: `${handset.id} cannot be registered with the gateway: ${unregistrable}`, next: `nothing was written. Check that ${req.spec} is a TecSOS handset (tecsos info --port ${req.spec}) and its firmware`, handsetState: 'unchanged' }, { handset });
  }
  if (interrupted()) return stopped('identify', { handset });

  // gateway: before anything is written, so that a gateway problem costs nothing.
  step('gateway', 'start', gateway.origin);
  const login = await gateway.login(req.username, req.password);
  if (!login.ok) return failed('gateway', gatewayFailure(login.failure, 'check --gateway, --user and the password variable; nothing was written to the handset', 'unchanged'), { handset });
  const listed = await gateway.listHandsets();
  if (!listed.ok) return failed('gateway', gatewayFailure(listed.failure, 'nothing was written to the handset; try again', 'unchanged'), { handset });
  const conflict = registrationConflict(listed.value, handset.id, req.registration.number, req.registration.replace);
  if (conflict !== undefined) return failed('gateway', { kind: 'gateway', message: conflict.message, next: conflict.next, handsetState: 'unchanged' }, { handset });
  const reportedBefore = listed.value.find((h) => h.id === handset.id)?.lastReportAt ?? null;
  const registeredBefore = listed.value.find((h) => h.id === handset.id)?.registeredAt ?? null;
  step('gateway', 'done', `signed in as ${login.value.username}`);
  if (interrupted()) return stopped('gateway', { handset });

  // authenticate: one attempt (each bad one counts towards the lock).
  step('authenticate', 'start');
  const auth = await authenticate(usb, deps.fleetKey, handset.id);
  if (!auth.ok) return failed('authenticate', { ...consoleFailure(auth.failure, req.spec), handsetState: 'unchanged' }, { handset });
  step('authenticate', 'done');
  const before = await usb.readConfig();
  if (!before.ok) return failed('authenticate', { ...consoleFailure(before.failure, req.spec), handsetState: 'unchanged' }, { handset });

  step('key', 'start');
  const key = deps.reportKey();
  if (key.length !== 32) return failed('key', { kind: 'handset', message: 'the key source did not give 32 bytes', next: again, handsetState: 'unchanged' }, { handset });
  step('key', 'done', '32 bytes from the system\'s cryptographic random source');

  // config and key: staged only; a failure here leaves flash as it was.
  const unchanged = (f: ToolFailure): ToolFailure => ({ ...f, handsetState: 'unchanged', next: `nothing was committed: the handset is as it was. ${f.next}` });
  step('config', 'start', plan.settings.map(([n, v]) => `${n}=${v}`).join(' '));
  // A provisioned handset stages from its last provisioning's settings: back to the factory ones first, or a
  // setting this run does not name (a bench run's silent=0) would stay on the new holder's handset.
  if (handset.provisioned) {
    const d = await usb.stageDefaults();
    if (!d.ok) {
      const f = consoleFailure(d.failure, req.spec);
      return failed('config', unchanged({ ...f, message: `the handset cannot go back to its factory settings (AT+TSDEFAULTS: ${f.message}), so the last provisioning's would stay`, next: `wipe it first (tecsos wipe --port ${req.spec} --key-file ${req.keyFile}): a wiped handset starts from its factory settings; then ${again} (with --replace: the gateway still holds its registration)` }), { handset });
    }
  }
  for (const [name, value] of plan.settings) {
    const r = await usb.set(name, value);
    if (!r.ok) return failed('config', unchanged(consoleFailure(r.failure, req.spec)), { handset });
  }
  step('config', 'done');
  step('write-key', 'start');
  const wk = await usb.writeKey(key);
  if (!wk.ok) return failed('write-key', unchanged(consoleFailure(wk.failure, req.spec)), { handset });
  // The handset's check value of the key it received: a byte changed on the line gives it another key, whose
  // reports the gateway would refuse, and nothing later would tell before the test report (none with
  // --verify-wait 0). Found here, nothing is committed.
  if (wk.value !== undefined && wk.value !== keyCheckValue(key, (k, m) => createHmac('sha256', k).update(m).digest())) {
    return failed('write-key', {
      kind: 'verification',
      message: 'the handset received another key than the one sent (its AT+TSKEY check value differs): the line changed bytes on the way',
      next: `nothing was committed: the handset is as it was. Check the cable or serial line (a noisy or wrong-speed line), then ${again}`,
      handsetState: 'unchanged',
    }, { handset });
  }
  step('write-key', 'done', wk.value === undefined ? 'this firmware gives no key check value: the test report is the only check of the key' : 'the handset confirmed the key (check value)');
  if (interrupted()) return stopped('write-key', { handset });

  // After the commit (or a commit that may have landed) and before registration, a failure is undone by a wipe.
  const rollback = async (cause: ToolFailure): Promise<ToolFailure> => {
    step('rollback', 'start', 'wiping the handset: it must not stay provisioned without a registration');
    const w = usb.isOpen ? await usb.wipe() : undefined;
    if (w?.ok === true) {
      step('rollback', 'done', 'handset wiped: not provisioned');
      return { ...cause, handsetState: 'unprovisioned', next: `the handset was wiped and is not provisioned. ${cause.next}; then ${again}` };
    }
    step('rollback', 'failed', w === undefined ? 'the line is gone' : w.failure.reason);
    return {
      kind: 'inconsistent',
      message: `${cause.message}; and the handset could not be wiped afterwards, so it is PROVISIONED BUT NOT REGISTERED: its alarms would not be recognised as TecSOS calls`,
      next: `do not issue this handset. Reconnect it and run: tecsos wipe --port ${req.spec} --key-file ${req.keyFile}, then ${again}`,
      handsetState: 'provisioned',
    };
  };

  step('commit', 'start');
  const commit = await usb.commit();
  if (!commit.ok) {
    const f = commit.failure;
    if (f.kind === 'refused' && f.code === HandsetConsoleError.ALARM_IN_PROGRESS && !handset.provisioned) return failed('commit', blankHandsetInAlarm(f.command), { handset });
    if (f.kind === 'refused' || f.kind === 'error') return failed('commit', unchanged(consoleFailure(f, req.spec)), { handset });
    if (f.kind === 'no-answer' && usb.isOpen) {
      // The line is up but the answer is late: the flash write may still land after any look we take (a
      // reconnect would even race it). The console runs commands in order, so a wipe sent now on this line
      // runs after the commit, whatever it did.
      return failed('commit', await rollback(consoleFailure(f, req.spec)), { handset });
    }
    // The line went away with AT+TSCOMMIT in flight: it may or may not have reached flash. Look again.
    const resolved = await resolveLostCommit(req, deps, handset);
    if (resolved !== undefined) return failed('commit', resolved, { handset });
    return failed('commit', {
      kind: 'inconsistent',
      message: `the line went away during AT+TSCOMMIT (${f.reason}): the handset either committed everything or nothing (its flash write is atomic), but this tool cannot tell which`,
      next: `reconnect and run: tecsos info --port ${req.spec}. If it says "not provisioned", ${again}; if "provisioned", run: tecsos wipe --port ${req.spec} --key-file ${req.keyFile}, then provision again`,
      handsetState: 'unknown',
    }, { handset });
  }
  step('commit', 'done');

  /** Between the commit and the registration: wipe, so the handset is not left provisioned but unregistered. */
  const abandon = async (s: ProvisionStep, extra: Partial<Extract<ProvisionResult, { ok: false }>> = {}): Promise<ProvisionResult> => {
    const undone = await rollback({ kind: 'interrupted', message: `interrupted before the gateway registered the handset`, next: '' });
    return failed(s, undone.kind === 'interrupted' ? { ...undone, next: `the handset was wiped and is not provisioned. When ready, ${again}` } : undone, { handset, ...extra });
  };
  if (interrupted()) return abandon('commit');

  step('read-back', 'start');
  const read = await usb.readConfig();
  if (!read.ok) return failed('read-back', await rollback(consoleFailure(read.failure, req.spec)), { handset });
  const mismatches = compareReadBack(plan.settings, read.value, before.value.get('fleetkey'));
  if (mismatches.length > 0) {
    const text = mismatches.map((m) => `${m.name}: wrote ${JSON.stringify(m.wrote)}, read ${m.read === undefined ? 'nothing' : JSON.stringify(m.read)}`).join('; ');
    return failed('read-back', await rollback({ kind: 'verification', message: `read-back differs from what was written: ${text}`, next: 'check the handset firmware' }), { handset });
  }
  const after = await usb.info();
  if (!after.ok) return failed('read-back', await rollback(consoleFailure(after.failure, req.spec)), { handset });
  if (!after.value.provisioned) {
    return failed('read-back', await rollback({ kind: 'verification', message: 'the handset does not report itself provisioned after the commit', next: 'check the handset firmware' }), { handset });
  }
  step('read-back', 'done', `${plan.settings.length} settings as written; provisioned`);
  if (interrupted()) return abandon('read-back');

  step('self-test', 'start');
  const st = await runSelfTest(usb, {
    buttonWaitMs: req.buttonWaitMs,
    allowFail: req.allowFail,
    sleep: deps.sleep,
    now: deps.now,
    onPressButton: () => step('self-test', 'note', `press the handset's button once now (waiting up to ${Math.round(req.buttonWaitMs / 1000)} s)`),
    ...(deps.interrupted && { interrupted: deps.interrupted }),
  });
  if (interrupted()) return abandon('self-test');
  if (!st.ok) return failed('self-test', await rollback(consoleFailure(st.failure, req.spec)), { handset });
  for (const item of st.value.items) step('self-test', 'note', `${item.part}: ${item.ok ? 'pass' : 'FAIL'} (${item.detail})`);
  if (!st.value.passed) {
    const parts = st.value.failed.map((i) => `${i.part} (${i.detail})`).join(', ');
    return failed('self-test', await rollback({ kind: 'verification', message: `self-test failed: ${parts}`, next: 'fix the part (or, for gps on a bench without sky view, add --allow-fail gps)' }), { handset, selfTest: st.value.items });
  }
  step('self-test', 'done');

  step('register', 'start', `${handset.id} as ${req.registration.number}, force ${req.registration.force}`);
  const reg = await gateway.register({
    id: handset.id,
    number: req.registration.number,
    imei: handset.imei,
    key: Buffer.from(key).toString('hex'),
    force: req.registration.force,
    victim: req.registration.victim,
    testMode: req.registration.testMode,
    replace: req.registration.replace,
  });
  key.fill(0);
  if (!reg.ok) {
    const cause = gatewayFailure(reg.failure, 'fix the gateway problem shown', 'unprovisioned');
    const undone = await rollback(cause);
    // No answer, a 5xx or a page instead of the answer: the gateway may have stored the registration anyway
    // (the answer was lost). Then the same command is refused at the gateway step; say so, with what works.
    const definite = reg.failure.kind === 'refused' && reg.failure.status >= 400 && reg.failure.status < 500;
    if (!definite && undone.handsetState === 'unprovisioned') {
      const now = await gateway.listHandsets();
      const entry = now.ok ? now.value.find((h) => h.id === handset.id) : undefined;
      if (entry !== undefined && entry.registeredAt !== registeredBefore) {
        return failed('register', {
          ...undone,
          message: `${undone.message}; the gateway did store the registration (its answer was lost), so it now holds a key the wiped handset no longer has`,
          next: `the handset was wiped and is not provisioned. Run the same tecsos provision command again with --replace (a new key replaces that registration)`,
        }, { handset, selfTest: st.value.items });
      }
    }
    return failed('register', undone, { handset, selfTest: st.value.items });
  }
  step('register', 'done', `registered (event ${reg.value.seq})`);
  // With --gateway, test-alarm waits for the gateway to accept the report; without, its exit 0 means only that
  // the handset queued one (an engineer following the advice saw "ok" for a key the gateway refuses).
  const testAlarm = `tecsos test-alarm --port ${req.spec} --key-file ${req.keyFile} --gateway ${gateway.origin}`;
  const unchecked = (s: ProvisionStep): ProvisionResult =>
    failed(s, {
      kind: 'interrupted',
      message: 'interrupted after the registration: the handset is provisioned and registered, but its test report was not checked',
      next: `do not issue it before a test report reaches the gateway: ${testAlarm}`,
      handsetState: 'provisioned',
    }, { handset, selfTest: st.value.items });
  if (interrupted() && req.verifyReportMs > 0) return unchecked('register');

  let reportVerified = false;
  if (req.verifyReportMs > 0) {
    step('verify-report', 'start', `a test report (TST) signed with the new key, to the gateway (waiting up to ${Math.round(req.verifyReportMs / 1000)} s)`);
    // The mark is taken now that the gateway holds the new key: a report it accepted before (signed with the old
    // key: a handset re-provisioned while tracking, an SMS delayed in the network) proves nothing about the new one.
    const mark = await gateway.listHandsets();
    const since = (mark.ok ? mark.value.find((h) => h.id === handset.id) : undefined) ?? { lastReportAt: reportedBefore };
    const v = await verifyReport(usb, gateway, handset.id, since, req.verifyReportMs, deps);
    if (interrupted() && v !== undefined) return unchecked('verify-report');
    if (v !== undefined) {
      return failed('verify-report', {
        kind: 'verification',
        // Kept, not rolled back (docs/provisioning.md, "Atomicity" 6): the gateway lists it `untested` until a
        // report signed with its new key is accepted, so nobody takes it for a working handset.
        message: `the handset is provisioned and registered, but ${v}. The gateway lists it as untested until a report from it is accepted`,
        // The gateway refuses a report from a number other than the registered one: a --number typo looked like a
        // signal problem. The message names the refusal when the gateway has one (lastRejection); a report that
        // never reached the gateway leaves none, hence the causes listed.
        next: `check that ${req.registration.number} (--number) is this handset's SIM number: the gateway refuses reports from any other (if it is wrong, run the command again with the right --number and --replace); check the gateway's modem lines and the handset's signal (tecsos selftest --port ${req.spec}); then send another test report, and do not issue the handset before it reaches the gateway: ${testAlarm}`,
        handsetState: 'provisioned',
      }, { handset, selfTest: st.value.items });
    }
    reportVerified = true;
    step('verify-report', 'done', 'the gateway accepted the test report');
  }
  return { ok: true, handset: after.value, registrationSeq: reg.value.seq, selfTest: st.value.items, reportVerified };
}

/**
 * After the line went away with AT+TSCOMMIT in flight: reopens the port once and asks AT+TSINFO?. A handset
 * that was not provisioned and still is not: nothing was written. One that now is: the commit landed, but no
 * registration will follow, so it is authenticated again and wiped. Undefined when it cannot be told (the
 * port does not come back, or the handset was provisioned before: --replace).
 */
async function resolveLostCommit(req: ProvisionRequest, deps: ProvisionDeps, before: HandsetInfo): Promise<ToolFailure | undefined> {
  if (deps.reopen === undefined || before.provisioned) return undefined;
  deps.progress({ step: 'rollback', status: 'start', detail: 'the line went away during the commit: reconnecting to see what the handset has' });
  await deps.sleep(500);
  const usb = await deps.reopen();
  if (usb === undefined) return undefined;
  try {
    const info = await usb.info();
    if (!info.ok || info.value.id !== before.id) return undefined;
    const lost = `the line went away during AT+TSCOMMIT`;
    const next = `reconnect the handset firmly and run the same tecsos provision command again`;
    if (!info.value.provisioned) {
      deps.progress({ step: 'rollback', status: 'done', detail: 'the commit did not take effect: the handset is as it was (not provisioned)' });
      return { kind: 'port', message: `${lost}; the commit did not take effect`, next: `nothing was written. ${next}`, handsetState: 'unchanged' };
    }
    const auth = await authenticate(usb, deps.fleetKey, before.id);
    const wiped = auth.ok ? await usb.wipe() : auth;
    if (!wiped.ok) return undefined;
    deps.progress({ step: 'rollback', status: 'done', detail: 'the commit had taken effect: handset wiped, not provisioned' });
    return { kind: 'port', message: `${lost} (after the commit took effect)`, next: `the handset was wiped and is not provisioned. ${next}`, handsetState: 'unprovisioned' };
  } finally {
    await usb.close();
  }
}

/** Why the gateway would refuse the handset's id or IMEI (HandsetRegisterRequest), or undefined. */
function identityProblem(h: HandsetInfo): string | undefined {
  if (!HandsetRegisterRequest.shape.id.safeParse(h.id).success) return `its id ${JSON.stringify(h.id)} is not 1 to 16 upper-case letters, digits and -`;
  if (!HandsetRegisterRequest.shape.imei.safeParse(h.imei).success) return `its IMEI ${JSON.stringify(h.imei)} is not 15 digits`;
  return undefined;
}

/** Why the id or number cannot be registered (and what to do), or undefined when they can. */
function registrationConflict(handsets: readonly HandsetView[], id: string, number: string, replace: boolean): { message: string; next: string } | undefined {
  const same = handsets.find((h) => h.id === id);
  if (same !== undefined && !replace) return { message: `handset ${id} is registered with the gateway already (as ${same.number}); add --replace to re-provision it`, next: 'nothing was written to the handset; to re-provision it (new key, new registration) add --replace' };
  // The gateway refuses a new key while the handset's live incident is open; found here, before the handset is
  // rewritten (it was found at the registration, after the commit and the self-test, and the handset wiped).
  if (same?.openIncidentId !== undefined && same.openIncidentId !== null) {
    return { message: `handset ${id} is in open incident ${same.openIncidentId}: the gateway refuses to re-issue it (a new key) while that incident is open`, next: `nothing was written to the handset; the control room must close incident ${same.openIncidentId} first, then run the same command again` };
  }
  const other = handsets.find((h) => h.id !== id && sameNumber(h.number, number));
  // --replace re-issues this handset's own registration; it never takes another handset's number.
  if (other !== undefined) return { message: `number ${number} belongs to handset ${other.id} at the gateway`, next: `nothing was written to the handset; check --number against this handset's SIM (${other.id} must be retired first if the SIM really moved)` };
  return undefined;
}

/**
 * Whether two numbers can be the same subscriber as the gateway will read them. The gateway registers a
 * national number (07700900101) as +<its country code>7700900101, which this tool cannot know; so a number
 * written without "+" or "00" matches an international one that ends with its digits after the trunk 0.
 * The gateway decides in the end; this only keeps a taken number from costing a commit, a self-test and a wipe.
 */
function sameNumber(registered: string, given: string): boolean {
  const international = (n: string) => n.startsWith('+') || n.startsWith('00');
  const digits = (n: string) => n.replace(/^\+|^00/, '');
  const a = digits(registered);
  const b = digits(given);
  if (a === b) return true;
  if (international(given) && international(registered)) return false;
  const national = (n: string) => n.replace(/^0+/, '');
  const na = international(registered) ? a : national(a);
  const nb = international(given) ? b : national(b);
  const [long, short] = na.length >= nb.length ? [na, nb] : [nb, na];
  return short.length >= 6 && long.endsWith(short);
}

