// Calls (call handlers and supervisors): list, answer (ATA), hang up (ATH / AT+CHUP).
import { AnswerCallRequest, HangupCallRequest } from '../../../protocol/schemas/rest.js';
import { CallParams } from '../bodies.js';
import { OPERATIONAL, type EdgeContext, type RouteSpec } from '../context.js';
import { parseBody, parseParams } from '../validate.js';
import { commandAnswer } from './command-result.js';

export function callRoutes(ctx: EdgeContext): RouteSpec[] {
  const { actions } = ctx;
  return [
    {
      method: 'GET',
      url: '/api/calls',
      access: OPERATIONAL,
      handler: async (_req, reply) => {
        reply.header('cache-control', 'no-store');
        return { calls: await actions.listCalls() };
      },
    },
    {
      method: 'POST',
      url: '/api/calls/:id/answer',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { id } = parseParams(CallParams, req.params);
        parseBody(AnswerCallRequest, req.body);
        return reply.code(202).send(commandAnswer(await actions.answer(id, user)));
      },
    },
    {
      method: 'POST',
      url: '/api/calls/:id/hangup',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { id } = parseParams(CallParams, req.params);
        parseBody(HangupCallRequest, req.body);
        return reply.code(202).send(commandAnswer(await actions.hangup(id, user)));
      },
    },
  ];
}
