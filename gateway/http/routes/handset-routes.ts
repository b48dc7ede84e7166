// Handsets (engineers; supervisors may read): register with key and victim record, list, health, send a
// TSC1 command. The key is accepted as 64 hex digits or base64/base64url and handed to the core as 32 bytes;
// it is never returned, and registration is audited (it writes a victim's record). A handset is answered as the
// caller's role may see it (fanout/audience.ts handsetFor: an engineer gets no refused report's detail).
import { HandsetRegisterRequest } from '../../../protocol/schemas/handsets.js';
import { SendCommandRequest } from '../../../protocol/schemas/rest.js';
import { handsetFor } from '../../fanout/audience.js';
import { AUDIT_ACTIONS, audit } from '../audit.js';
import { HandsetParams } from '../bodies.js';
import { ENGINEER, TECHNICAL, type EdgeContext, type RouteSpec } from '../context.js';
import { HTTP_ERRORS, HttpError } from '../errors.js';
import { parseBody, parseParams } from '../validate.js';
import { commandAnswer } from './command-result.js';

/** 32 key bytes from hex or base64(url) text; undefined when it is not exactly 32 bytes. */
export function decodeKey(text: string): Uint8Array | undefined {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? new Uint8Array(bytes) : undefined;
}

export function handsetRoutes(ctx: EdgeContext): RouteSpec[] {
  const { actions } = ctx;
  return [
    {
      method: 'GET',
      url: '/api/handsets',
      access: TECHNICAL,
      // With the open incident (not a test one) each handset is in, only its id: the provisioning tool refuses a
      // re-issue (--replace, a new key) before it rewrites the handset, which the registration would refuse after.
      handler: async (_req, _reply, user) => {
        const live = new Map<string, string>();
        for (const i of await actions.listIncidents({ state: 'open' })) {
          if (typeof i['handsetId'] === 'string' && i['priority'] !== 'test') live.set(i['handsetId'], i.id);
        }
        return { handsets: (await actions.listHandsets()).map((h) => ({ ...handsetFor(user.role, h), openIncidentId: live.get(h.id) ?? null })) };
      },
    },
    {
      method: 'GET',
      url: '/api/handsets/health',
      access: TECHNICAL,
      handler: async () => ({ health: await actions.handsetHealth() }),
    },
    {
      method: 'POST',
      url: '/api/handsets',
      access: ENGINEER,
      handler: async (req, reply, user) => {
        const body = parseBody(HandsetRegisterRequest, req.body);
        const key = decodeKey(body.key);
        if (key === undefined) throw new HttpError(400, HTTP_ERRORS.badRequest, 'key: must decode to exactly 32 bytes', {}, ['key']);
        const result = commandAnswer(await actions.registerHandset({ ...body, key }, user));
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.handsetRegister, `handset:${body.id}`,
          `force=${body.force}; replace=${body.replace}; test=${body.testMode}`);
        // The same registration again changes nothing and answers the handset as it is, its last refusal included.
        return reply.code(201).send({ ...result, handset: handsetFor(user.role, result.handset) });
      },
    },
    {
      method: 'POST',
      url: '/api/handsets/:id/command',
      access: ENGINEER,
      handler: async (req, reply, user) => {
        const { id } = parseParams(HandsetParams, req.params);
        const { command } = parseBody(SendCommandRequest, req.body);
        return reply.code(202).send(commandAnswer(await actions.sendCommand(id, command, user)));
      },
    },
  ];
}
