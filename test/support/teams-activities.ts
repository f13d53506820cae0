/**
 * Teams-shaped activities, as Teams sends them to /api/messages, for driving the bot through its
 * real endpoint in tests and benchmarks.
 */

export const TENANT = '00000000-0000-4000-8000-0000000000t1';
export const BOT = { id: '28:lgd-support-bot', name: 'LGD Support' };
export const TEAM_ID = '19:team-general@thread.tacv2';
export const OPS_CHANNEL = TEAM_ID;
export const OTHER_CHANNEL = '19:other-channel@thread.tacv2';

/** A Teams user of the tests' tenant. */
export interface TestUser {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
}

export function testUser(n: number, name: string, email: string): TestUser {
  return { id: `29:user-${n}`, aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name, email };
}

let seq = 0;
const base = (serviceUrl: string, from: TestUser | typeof BOT, conversation: Record<string, unknown>, channelData: Record<string, unknown>) => ({
  id: `activity-${++seq}`,
  timestamp: new Date().toISOString(),
  channelId: 'msteams',
  serviceUrl,
  from: 'aadObjectId' in from ? { id: from.id, name: from.name, aadObjectId: from.aadObjectId } : from,
  recipient: BOT,
  conversation: { tenantId: TENANT, ...conversation },
  channelData: { tenant: { id: TENANT }, ...channelData },
  locale: 'en-GB',
});

const channelConv = (channel: string) => ({ id: channel, conversationType: 'channel', isGroup: true });
const channelData = (channel: string) => ({ team: { id: TEAM_ID, name: 'LGSS IT Digital' }, channel: { id: channel } });

/** The app is added to the team (arrives in the General channel). */
export function installInTeam(serviceUrl: string, by: TestUser): Record<string, unknown> {
  return { ...base(serviceUrl, by, channelConv(TEAM_ID), { ...channelData(TEAM_ID), eventType: 'teamMemberAdded' }), type: 'installationUpdate', action: 'add' };
}

/** A message in a channel mentioning the bot. */
export function channelMessage(serviceUrl: string, from: TestUser, text: string, channel = OPS_CHANNEL): Record<string, unknown> {
  const mention = `<at>${BOT.name}</at>`;
  return {
    ...base(serviceUrl, from, channelConv(`${channel};messageid=${seq + 1000}`), channelData(channel)),
    type: 'message',
    text: `${mention} ${text}`,
    entities: [{ type: 'mention', text: mention, mentioned: BOT }],
  };
}

/** A message in the person's 1:1 chat with the bot. */
export function personalMessage(serviceUrl: string, from: TestUser, text: string): Record<string, unknown> {
  return { ...base(serviceUrl, from, { id: `a:personal-${from.id}`, conversationType: 'personal' }, {}), type: 'message', text };
}

/** A Universal Action (Action.Execute) on a card the bot posted in the ops channel. */
export function cardAction(serviceUrl: string, from: TestUser, verb: string, data: unknown, opts: { replyToId?: string; trigger?: 'manual' | 'automatic'; channel?: string } = {}): Record<string, unknown> {
  const channel = opts.channel ?? OPS_CHANNEL;
  return {
    ...base(serviceUrl, from, channelConv(channel), channelData(channel)),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: opts.replyToId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: opts.trigger ?? 'manual' },
  };
}

/** The typeahead of a dynamic Input.ChoiceSet. */
export function searchInvoke(serviceUrl: string, from: TestUser, queryText: string, dataset = 'lgd.targets'): Record<string, unknown> {
  return {
    ...base(serviceUrl, from, channelConv(OPS_CHANNEL), channelData(OPS_CHANNEL)),
    type: 'invoke',
    name: 'application/search',
    value: { queryText, dataset, queryOptions: { skip: 0, top: 15 } },
  };
}

/** Posts an activity to the bot and returns the HTTP status and JSON body. */
export async function postActivity(appUrl: string, activity: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${appUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const text = await res.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, body };
}
