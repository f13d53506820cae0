import type { Guidelines } from '../../domain/guidelines.js';
/**
 * What the cards show, decoupled from storage: the bot builds a TicketCardModel from a ticket and
 * a Viewer for the person looking, and the card builders turn them into Adaptive Card JSON.
 */
import type { ProcessState } from '../../domain/process-state.js';

/** An Adaptive Card as JSON (version 1.5, the highest Teams renders). */
export type AdaptiveCard = { type: 'AdaptiveCard'; version: '1.5'; body: unknown[] } & Record<string, unknown>;

/** The Action.Execute verbs the bot understands; one handler file each under bot/teams/actions/. */
export const VERBS = [
  'refresh',
  'approve',
  'project',
  'projectForm',
  'reassignForm',
  'reassign',
  'takeOwnership',
  'notifyLead',
  'resolveForm',
  'resolve',
  'discuss',
  // The daily duties (bot/duties/): update the user, hand back before a day off, long work.
  'updateUserForm',
  'updateUser',
  'noChangeToday',
  'nudgeRefresh',
  'handBack',
  'handBackAll',
  'longWorkForm',
  'longWork',
  'longWorkAgree',
] as const;
export type Verb = (typeof VERBS)[number];

/** The data every ticket card action carries: which ticket, and which version of it the card showed. */
export interface TicketActionData {
  ticketKey: string;
  /** The ticket's store version when the card was rendered: a stale card is detected by it. */
  v: number;
  /** Which card the action came from, when a verb answers differently on a duty card (the card comes back in place). */
  from?: 'nudge' | 'handBack';
}

export interface TicketCardModel {
  key: string;
  number: number;
  title: string;
  /** Short description (already trimmed to a few hundred characters). */
  description: string;
  raisedBy: string | null;
  raisedAt: Date;
  priority: string | null;
  category: string | null;
  status: string;
  state: ProcessState;
  group: string | null;
  owner: string | null;
  /** Waiting for triage although LGD has a person on it (assigned before it reached the group): who. */
  assignedInLgd?: string | null;
  decision: { kind: 'approved' | 'project'; by: string | null; at: Date; source: 'lgd' | 'teams' } | null;
  /** Writes accepted in Teams that LGD has not confirmed yet ("queued for LGD"). */
  queuedForLgd: number;
  /** The last thing LGD refused on this ticket, in its own words, if the card should say so. */
  refusal: string | null;
  /** A link that opens the ticket in LGD's web UI. */
  lgdLink: string;
  /** When the user last heard from the team (an end-user update, made here or in LGD); null: never; absent: not shown. */
  lastUserUpdate?: Date | null;
  /** Store version, carried in action data. */
  version: number;
}

/** Who is looking at a card, and what they may do. */
export interface Viewer {
  /** Display name. */
  name: string;
  /** May triage today (the rota's Operations Lead, or a lead developer / scrum master). */
  canTriage: boolean;
  /** Owns this ticket. */
  isOwner: boolean;
}

/** Facts about the team that cards mention. */
export interface TeamContext {
  /** Display name of today's Operations Lead, when the rota says. */
  triagerToday: string | null;
  /** Teams user ids (29:...) to receive the user-specific view through `refresh` (at most 60). */
  refreshUserIds: string[];
  now: Date;
  /** IANA time zone the team reads dates in (TEAM_TIME_ZONE); Europe/London when not given. */
  timeZone?: string;
  /** The team's guidelines (GUIDELINE_*), which the owner's buttons name; the seed's when not given. */
  guidelines?: Guidelines;
}
