import { z } from 'zod';
import type { RotaResponse, RotaWriteResponse } from '../../tab/src/api/contract.js';
import { PATTERN_DAYS } from '../../tab/src/api/contract.js';
import type { AuditLog } from '../store/audit-log.js';
import { addDays, isIsoDate, mondayOf } from '../domain/iso-date.js';
import { rotaRangeProblem } from '../domain/rota-command.js';
import type { RotaEditor, RotaPlanPart, RotaSetting } from '../rota/rota-editor.js';
import { rotaSummary } from '../rota/rota-summary.js';
import type { Roles } from '../teams/teams-ports.js';
import { etagOf, parseOr400, sendBadInput, sendWithEtag } from './api-answer.js';
import type { ApiRoute } from './guard-api-routes.js';
import { personOf } from './request-identity.js';

/** What the rota routes read and call. */
export interface RotaRouteDeps {
  editor: RotaEditor;
  roles: Pick<Roles, 'canTriage'>;
  audit: Pick<AuditLog, 'record'>;
  now: () => Date;
}

/** Days the rota shows when no range is asked for: four weeks from this week's Monday. */
const DEFAULT_DAYS = 28;

/** Longest e-mail text read at all (an address is at most 254 characters). */
const EMAIL_TEXT_MAX = 320;

/** Longest support list read at all; the rota's own limit (bot/domain/rota-rules.ts) answers a longer one with its reason. */
const SUPPORT_READ_MAX = 100;

const isoDate = z.string().max(10).refine(isIsoDate, 'must be a real date written YYYY-MM-DD');

const query = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

const email = z
  .string()
  .max(EMAIL_TEXT_MAX)
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => /^[^\s@]{1,64}@[^\s@]{1,189}$/.test(s), 'must be an e-mail address');

const setting = z
  .object({
    lead: email.nullable().optional(),
    support: z.array(email).max(SUPPORT_READ_MAX).nullable().optional(),
  })
  .strict();

const body = z
  .object({
    from: isoDate,
    to: isoDate,
    lead: email.nullable().optional(),
    support: z.array(email).max(SUPPORT_READ_MAX).nullable().optional(),
    pattern: z.object(Object.fromEntries(PATTERN_DAYS.map((d) => [d, setting.optional()])) as Record<(typeof PATTERN_DAYS)[number], z.ZodOptional<typeof setting>>).strict().optional(),
  })
  .strict();

/** True when a setting sets anything (a field present, even as null). */
const setsAnything = (s: RotaSetting): boolean => s.lead !== undefined || s.support !== undefined;

/**
 * `GET /api/rota?from=&to=`: every calendar day of the range as the rota shows it, and today and
 * the next working day; `PUT /api/rota`: triagers set a day, a range or a weekly pattern over a
 * range, stored as the working days it produces, with the chat's `rota set` rules and writer.
 */
export function rotaRoutes(d: RotaRouteDeps): ApiRoute[] {
  return [
    {
      name: 'read rota',
      method: 'get',
      path: '/api/rota',
      handler: async (req, res) => {
        personOf(req);
        const q = parseOr400(res, query, req.query, 'BadQuery');
        if (!q) return;
        const { today } = await d.editor.today();
        const from = q.from ?? mondayOf(today);
        const to = q.to ?? addDays(from, DEFAULT_DAYS - 1);
        const problem = rotaRangeProblem(from, to);
        if (problem) {
          sendBadInput(res, 'BadQuery', from > to ? 'from' : 'to', `That range cannot be shown: ${problem}.`);
          return;
        }
        const view = await d.editor.view(from, to);
        const shown = { timeZone: view.timeZone, from, to, days: view.days, today: view.today, nextWorkingDay: view.nextWorkingDay };
        const answer: RotaResponse = { etag: etagOf('r', shown), ...shown };
        sendWithEtag(req, res, answer.etag, answer);
      },
    },
    {
      name: 'write rota',
      method: 'put',
      path: '/api/rota',
      body: 'json',
      handler: async (req, res) => {
        const person = personOf(req);
        const actor = { name: person.name, aadObjectId: person._id, email: person.email };
        const audit = (outcome: 'done' | 'not_allowed' | 'invalid', detail: string): Promise<void> =>
          d.audit.record({ actor, action: 'rota set', ticketKey: null, ticketNumber: null, outcome, source: 'tab', detail: detail.slice(0, 200) });
        if (!(await d.roles.canTriage(person, d.now()))) {
          await audit('not_allowed', 'PUT /api/rota');
          res.send(403, { code: 'NotAllowed', message: "Only today's Operations Lead or a lead developer / scrum master can change the rota. Nothing was changed." });
          return;
        }
        const b = parseOr400(res, body, req.body, 'BadBody');
        if (!b) return;
        let parts: RotaPlanPart[];
        if (b.pattern !== undefined) {
          if (b.lead !== undefined || b.support !== undefined) {
            sendBadInput(res, 'BadBody', 'pattern', 'Send a weekly pattern or a lead and support list for every day, not both. Nothing was changed.');
            return;
          }
          parts = PATTERN_DAYS.flatMap((day, i) => {
            const s = b.pattern?.[day];
            return s && setsAnything(s) ? [{ weekday: i + 1, field: `pattern.${day}.`, setting: s }] : [];
          });
          if (parts.length === 0) {
            sendBadInput(res, 'BadBody', 'pattern', 'The pattern sets nothing: give at least one weekday a lead or a support list. Nothing was changed.');
            return;
          }
        } else {
          const s: RotaSetting = { ...(b.lead !== undefined ? { lead: b.lead } : {}), ...(b.support !== undefined ? { support: b.support } : {}) };
          if (!setsAnything(s)) {
            sendBadInput(res, 'BadBody', 'lead', 'Say what to set: an Operations Lead (lead), the developers on support (support), or a weekly pattern. Nothing was changed.');
            return;
          }
          parts = [{ weekday: null, field: '', setting: s }];
        }
        const outcome = await d.editor.write({ from: b.from, to: b.to, parts }, person.name);
        if (!outcome.ok) {
          await audit('invalid', `${b.from}..${b.to}: ${outcome.refusal.message}`);
          sendBadInput(res, 'BadBody', outcome.refusal.field, outcome.refusal.message);
          return;
        }
        await audit('done', `${b.from}..${b.to}: ${outcome.days.length} days`);
        const written = outcome.days.map((day) => day._id);
        const view = written.length > 0 ? await d.editor.view(written[0]!, written.at(-1)!) : null;
        const days = view ? view.days.filter((v) => written.includes(v.date)) : [];
        const answer: RotaWriteResponse = { days, skipped: outcome.skipped, notice: { kind: 'info', text: rotaSummary('Rota set', outcome) } };
        res.send(200, answer);
      },
    },
  ];
}
