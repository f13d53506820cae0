/**
 * The one place besides the adapter that touches a TurnContext: asking Teams who a member is. Both
 * helpers give up quietly (null / []) so a Teams hiccup never fails the turn that needed them.
 */
import { TeamsInfo, type TeamsChannelAccount, type TeamsPagedMembersResult, type TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';

/** A roster member as the people directory remembers them. */
export interface RosterMember {
  id: string;
  aadObjectId?: string;
  name?: string;
  email?: string;
  userPrincipalName?: string;
}

/** Members per page asked of Teams (its maximum is 500). */
export const ROSTER_PAGE_SIZE = 500;

/** Pages read at most, so a misbehaving continuation token cannot loop forever. */
export const MAX_ROSTER_PAGES = 200;

/** Keeps the fields the app uses, dropping empty ones. */
function memberOf(m: TeamsChannelAccount): RosterMember {
  return {
    id: m.id,
    ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}),
    ...(m.name ? { name: m.name } : {}),
    ...(m.email ? { email: m.email } : {}),
    ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}),
  };
}

/** Reads every page of a paged member list, following continuation tokens until there is none. */
export async function pageThrough(fetchPage: (continuationToken: string | undefined) => Promise<TeamsPagedMembersResult>): Promise<RosterMember[]> {
  const members: RosterMember[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_ROSTER_PAGES; page++) {
    const result = await fetchPage(token);
    members.push(...(result.members ?? []).map(memberOf));
    token = result.continuationToken || undefined;
    if (!token || seen.has(token)) break;
    seen.add(token);
  }
  return members;
}

/** The member's e-mail, UPN and name from Teams, or null when Teams cannot say (logged at debug). */
export async function lookupMember(
  context: TurnContext,
  userId: string,
  logger: Logger,
): Promise<{ email?: string; userPrincipalName?: string; name?: string } | null> {
  try {
    const m = memberOf(await TeamsInfo.getMember(context, userId));
    return { ...(m.email ? { email: m.email } : {}), ...(m.userPrincipalName ? { userPrincipalName: m.userPrincipalName } : {}), ...(m.name ? { name: m.name } : {}) };
  } catch (err) {
    logger.debug({ err, userId }, 'Teams could not say who this member is');
    return null;
  }
}

/** Everyone in the activity's team (or chat), paged; [] when Teams cannot list them (logged at debug). */
export async function rosterOf(context: TurnContext, logger: Logger): Promise<RosterMember[]> {
  try {
    return await pageThrough((token) => TeamsInfo.getPagedMembers(context, ROSTER_PAGE_SIZE, token));
  } catch (err) {
    logger.debug({ err }, 'Teams could not list the members');
    return [];
  }
}
