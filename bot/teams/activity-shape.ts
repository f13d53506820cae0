import type { Activity } from 'botbuilder';
import { z } from 'zod';

/** Longest id the bot accepts (Teams' longest, a personal conversation id, is about 200 characters). */
export const MAX_ID_CHARS = 512;
/** Longest name (Teams allows 256 characters for a team or a person's display name). */
export const MAX_NAME_CHARS = 256;
/** Longest service URL. */
const MAX_URL_CHARS = 2048;
/** Longest short keyword (type, action, event type, locale, role). */
const MAX_WORD_CHARS = 128;
/** Most members or entities one activity lists. */
const MAX_LIST = 1000;

const bounded = (max: number) => z.string({ error: 'must be a string' }).max(max, `must be at most ${max} characters`);
const id = bounded(MAX_ID_CHARS);
const name = bounded(MAX_NAME_CHARS);
const word = bounded(MAX_WORD_CHARS);
/** Channels omit or null what they do not know; anything else must be a bounded string. */
const maybe = <T extends z.ZodType>(t: T) => t.nullish();

const account = z.looseObject({
  id: id.min(1, 'must not be empty'),
  name: maybe(name),
  aadObjectId: maybe(id),
  role: maybe(word),
});

const idAndName = z.looseObject({ id: maybe(id), name: maybe(name) });

/**
 * A Bot Framework activity as the bot reads it: every id and name it uses is a string of bounded
 * length (never an object that a store would read as an operator), checked before botbuilder sees
 * the body, so a malformed one gets a 400 that says what is wrong and every handler gets checked values.
 */
export const activityShape = z.looseObject({
  type: word.min(1, 'must not be empty'),
  id: maybe(id),
  name: maybe(word),
  action: maybe(word),
  channelId: maybe(word),
  serviceUrl: bounded(MAX_URL_CHARS).regex(/^https?:\/\//, 'must be an http(s) URL'),
  timestamp: maybe(word),
  localTimestamp: maybe(word),
  locale: maybe(word),
  replyToId: maybe(id),
  text: maybe(z.string({ error: 'must be a string (the message text)' })),
  textFormat: maybe(word),
  from: maybe(account),
  recipient: maybe(account),
  conversation: z.looseObject({
    id: id.min(1, 'must not be empty'),
    tenantId: maybe(id),
    conversationType: maybe(word),
    name: maybe(name),
    aadObjectId: maybe(id),
    isGroup: maybe(z.boolean({ error: 'must be true or false' })),
  }),
  channelData: maybe(
    z.looseObject({
      team: maybe(z.looseObject({ id: maybe(id), name: maybe(name), aadGroupId: maybe(id) })),
      tenant: maybe(z.looseObject({ id: maybe(id) })),
      channel: maybe(idAndName),
      eventType: maybe(word),
      settings: maybe(z.looseObject({ selectedChannel: maybe(idAndName) })),
    }),
  ),
  membersAdded: maybe(z.array(account).max(MAX_LIST, `must list at most ${MAX_LIST}`)),
  membersRemoved: maybe(z.array(account).max(MAX_LIST, `must list at most ${MAX_LIST}`)),
  entities: maybe(
    z
      .array(
        z.looseObject({
          type: maybe(word),
          text: maybe(bounded(MAX_NAME_CHARS + 16)),
          mentioned: maybe(z.looseObject({ id: maybe(id), name: maybe(name) })),
        }),
      )
      .max(MAX_LIST, `must list at most ${MAX_LIST}`),
  ),
});

/** The activity with its checked fields, or a sentence saying what is wrong. */
export function parseActivity(body: unknown): { ok: true; activity: Activity } | { ok: false; problem: string } {
  const r = activityShape.safeParse(body);
  if (r.success) return { ok: true, activity: r.data as unknown as Activity };
  const i = r.error.issues[0];
  return { ok: false, problem: `Not a Bot Framework activity: ${i?.path.join('.') || 'body'} ${i?.message ?? 'is invalid'}.` };
}

