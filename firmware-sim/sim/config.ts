// The simulation's configuration (`npm run sim -- --config sim.json`): one zod schema, every field defaulted, so
// `{}` is the demo (3 handsets, a 4-line control-room bank). A bad file stops start-up with the field named:
//
//   { "seed": 7,
//     "ports": { "host": "127.0.0.1", "bankBase": 7101, "usbBase": 7201, "control": 8081 },
//     "bank": { "lines": ["+447700900999", "+447700900998"], "smsNumber": "+447700900999" },
//     "network": { "delayMs": 500, "reorderMs": 0, "loss": 0, "duplication": 0, "callSetupMs": 1000 },
//     "handsets": [ { "id": "TS-0001", "number": "+447700900101", "imei": "356938035643809",
//                     "force": "West Yorkshire Police", "victim": { "name": "...", "safetyNotes": "...",
//                     "riskMarkers": [] }, "route": { "waypoints": [ {"lat":53.7957,"lon":-1.5465,"speedMps":0} ] } } ] }
//
// A base port of 0 gives every listener a free port of its own (tests); otherwise line i listens on base + i.

import { z } from 'zod';
import { ForceName, HandsetId, PhoneNumber } from '../../protocol/schemas/common.js';
import { VictimRecord } from '../../protocol/schemas/handsets.js';
import { imeiCheckDigit } from '../modem/identity.js';
import { bankLineNumbers, DEFAULT_BANK_LINES, DEFAULT_HANDSETS, generatedHandsets } from './defaults.js';

const E164 = z.string().regex(/^\+[0-9]{6,15}$/, 'an international number such as +447700900101');
const Port = z.int().min(0).max(65535);
const Probability = z.number().min(0).max(1);

const Imei = z
  .string()
  .regex(/^[0-9]{15}$/, '15 digits')
  .refine((s) => imeiCheckDigit(s.slice(0, 14)) === Number(s[14]), 'the last digit is not the Luhn check digit');

export const RouteSpecSchema = z.strictObject({
  waypoints: z
    // speedMps: the speed from this waypoint to the next; the last one's is never used, so it may be left out
    // (a standing point is `[{"lat":..,"lon":..}]`); every other waypoint needs one > 0 (checked below).
    .array(z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), speedMps: z.number().min(0).max(100).default(0) }))
    .min(1)
    .max(10_000),
  fixLoss: z.array(z.strictObject({ fromS: z.number().min(0), toS: z.number().min(0) })).max(1000).optional(),
})
  .superRefine((r, ctx) => {
    // The rules of firmware-sim/gps/route.ts, checked here so that a bad route is a named field, not a throw.
    r.waypoints.forEach((w, i) => {
      if (i < r.waypoints.length - 1 && !(w.speedMps > 0)) ctx.addIssue({ code: 'custom', path: ['waypoints', i, 'speedMps'], message: `needs a speed > 0 m/s to reach waypoint ${i + 1}` });
    });
    (r.fixLoss ?? []).forEach((f, i) => {
      if (!(f.toS > f.fromS)) ctx.addIssue({ code: 'custom', path: ['fixLoss', i, 'toS'], message: 'must be after fromS' });
    });
  });

/** One handset of the simulation: what its manufacturer's manifest says, and how it starts. */
export const SimHandsetConfig = z.strictObject({
  id: HandsetId,
  number: E164,
  imei: Imei,
  force: ForceName,
  victim: VictimRecord,
  /** The report key, 64 hex digits; default derived from the seed and the id (reproducible runs). */
  key: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex digits (32 bytes)').optional(),
  /** Provisioned at manufacture (key, gateway number, emergency number); false = a blank handset. */
  provisioned: z.boolean().default(true),
  testMode: z.boolean().default(false),
  batteryPercent: z.number().min(0).max(100).default(90),
  /** Where she is (a standing point or a walk); the route starts when the simulation starts. */
  route: RouteSpecSchema.optional(),
});
export type SimHandsetConfig = z.infer<typeof SimHandsetConfig>;

/** Network faults, as the control API and scenario files set them too. */
export const NetworkFaults = z.strictObject({
  /** Fixed SMS delay, ms. */
  delayMs: z.number().min(0).max(3_600_000).optional(),
  /** Random extra SMS delay 0..reorderMs per message (messages overtake each other), ms. */
  reorderMs: z.number().min(0).max(3_600_000).optional(),
  /** The same as reorderMs (the control API's name). */
  reorder: z.number().min(0).max(3_600_000).optional(),
  /** Probability an accepted SMS is lost. */
  loss: Probability.optional(),
  /** Probability an SMS is delivered twice. */
  duplication: Probability.optional(),
});
export type NetworkFaults = z.infer<typeof NetworkFaults>;

export const SimConfigSchema = z
  .strictObject({
    seed: z.int().min(0).max(0xffff_ffff).default(1),
    ports: z
      .strictObject({
        host: z.literal('127.0.0.1').default('127.0.0.1'),
        bankBase: Port.default(7101),
        usbBase: Port.default(7201),
        control: Port.default(8081),
        /** Also put each bank line on a pty, `<ptyDir>/line1`...: for programs that open only serial devices. */
        ptyDir: z.string().min(1).max(200).optional(),
      })
      .prefault({}),
    bank: z
      .strictObject({
        /** The lines' numbers in hunt order, or how many (numbered +447700900999 down). */
        lines: z
          .union([z.int().min(1).max(64).transform((n) => bankLineNumbers(n)), z.array(E164).min(1).max(64)])
          .default([...DEFAULT_BANK_LINES]),
        /** The gateway's number handsets report to: one of the lines (default the first). */
        smsNumber: E164.optional(),
      })
      .prefault({}),
    emergencyNumber: PhoneNumber.default('999'),
    network: NetworkFaults.extend({ callSetupMs: z.int().min(0).max(60_000).default(1000) }).prefault({}),
    /** GPS time to first fix after the first power-on, seconds (a real receiver: about 30). */
    gpsColdStartS: z.number().min(0).max(600).default(5),
    /** The fleet's Ed25519 public key (64 hex) the handsets' USB consoles check; '' = none (console locked to AT+TSINFO?). */
    fleetKey: z.union([z.literal(''), z.string().regex(/^[0-9a-fA-F]{64}$/)]).default(''),
    /** The handsets, or how many demo handsets (defaults.ts). */
    handsets: z.preprocess(
      (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 500 ? generatedHandsets(v) : v),
      z.array(SimHandsetConfig).max(500).default(() => DEFAULT_HANDSETS.map((h) => SimHandsetConfig.parse(h))),
    ),
  })
  .superRefine((c, ctx) => {
    const seenIds = new Set<string>();
    c.handsets.forEach((h, i) => {
      if (seenIds.has(h.id)) ctx.addIssue({ code: 'custom', path: ['handsets', i, 'id'], message: `${h.id} is used twice` });
      seenIds.add(h.id);
    });
    const seenNumbers = new Set<string>();
    c.bank.lines.forEach((n, i) => {
      if (seenNumbers.has(n)) ctx.addIssue({ code: 'custom', path: ['bank', 'lines', i], message: `${n} is used twice` });
      seenNumbers.add(n);
    });
    c.handsets.forEach((h, i) => {
      if (seenNumbers.has(h.number)) ctx.addIssue({ code: 'custom', path: ['handsets', i, 'number'], message: `${h.number} is used twice (two SIMs cannot share a number)` });
      seenNumbers.add(h.number);
    });
    if (c.bank.smsNumber !== undefined && !c.bank.lines.includes(c.bank.smsNumber)) {
      ctx.addIssue({ code: 'custom', path: ['bank', 'smsNumber'], message: 'must be one of bank.lines (the line whose SIM has that number)' });
    }
  });
export type SimConfig = z.infer<typeof SimConfigSchema>;

/** Thrown at start-up for a configuration a person must fix; the message names every bad field. */
export class SimConfigError extends Error {
  override readonly name = 'SimConfigError';
}

/** Validates a parsed JSON configuration (`source` names the file in the message). */
export function parseSimConfig(json: unknown, source = 'sim config'): SimConfig {
  const r = SimConfigSchema.safeParse(json);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `  ${i.path.length > 0 ? i.path.join('.') : '(top level)'}: ${i.message}`);
  throw new SimConfigError(`invalid simulator configuration (${source}):\n${lines.join('\n')}`);
}

/** The number the handsets report to. */
export function smsNumberOf(c: SimConfig): string {
  return c.bank.smsNumber ?? (c.bank.lines[0] as string);
}
