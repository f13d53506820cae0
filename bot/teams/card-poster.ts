import type { Guidelines } from '../domain/guidelines.js';
import { isFinalState } from '../domain/process-state.js';
import type { Logger } from '../logger.js';
import type { Ticket } from '../domain/ticket.js';
import type { CardRepository, PostedCard } from '../store/card-repository.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import type { AuditLog } from '../store/audit-log.js';
import { ticketCard, ticketCardHash } from './cards/ticket-card.js';
import type { TeamContext } from './cards/card-model.js';
import { cardModelOf } from './card-model-of.js';
import type { Conversations, PeopleDirectory, ProactiveSender, Roles } from './teams-ports.js';

export interface CardPosterDeps {
  cards: CardRepository;
  tickets: TicketRepository;
  conversations: Conversations;
  sender: ProactiveSender;
  roles: Roles;
  people: PeopleDirectory;
  link: (t: Ticket) => string;
  logger: Logger;
  /** Where an owner Teams cannot reach is recorded. */
  audit?: AuditLog;
  clock?: () => Date;
  /** Time zone of the dates on cards. */
  timeZone: string;
  /** The team's guidelines (GUIDELINE_*), named on the owner's buttons. */
  guidelines?: Guidelines;
  /** New triage cards posted per pass at most (no bulk posting into a channel). */
  maxNewPerPass?: number;
  /**
   * Claims made before this instant are a stopped process's (set when the store proves this
   * process its only user: the embedded store's lock): freed at the first pass instead of after
   * two minutes, so a card that process died posting goes out at once.
   */
  claimsOfStoppedBefore?: Date;
}

/**
 * Keeps the ops channel's cards true to the tickets: one triage card for each ticket that needs
 * triage now, each card updated in place as its ticket moves on, whether the change was made in
 * Teams or in LGD. It reconciles from the store, so a missed event or a restart loses nothing.
 */
export class CardPoster {
  private readonly clock: () => Date;

  constructor(private readonly d: CardPosterDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  /** The shared card and team context for a ticket as of now. */
  async sharedCard(t: Ticket, known?: TeamContext): Promise<{ card: ReturnType<typeof ticketCard>; hash: string; team: TeamContext }> {
    const team = known ?? (await this.teamContext());
    const model = cardModelOf(t, this.d.link, team.now);
    return { card: ticketCard(model, null, team), hash: ticketCardHash(model, team), team };
  }

  async teamContext(): Promise<TeamContext> {
    const now = this.clock();
    const { lead, triagerTeamsIds } = await this.d.roles.today(now);
    return {
      triagerToday: lead ? (lead.person?.name ?? lead.name ?? lead.email) : null,
      refreshUserIds: triagerTeamsIds,
      now,
      timeZone: this.d.timeZone,
      guidelines: this.d.guidelines,
    };
  }

  /** One pass: post cards for tickets needing triage that have none; update cards whose ticket changed. */
  async reconcile(only?: readonly string[]): Promise<{ posted: number; updated: number }> {
    let posted = 0;
    let updated = 0;

    const cards = await this.d.cards.current(only);
    const staleClaim = this.clock().getTime() - 120_000;
    const tickets = await this.d.tickets.getMany([...new Set(cards.map((c) => c.ticketKey))]);
    // Who triages today is the same for every card of this pass: read it once, when needed.
    let team: TeamContext | undefined;
    const ownersAgain = new Set<string>(only ?? []);
    for (const c of cards) {
      if (c.activityId === '') {
        // A claim whose post never completed (the process died, or Teams failed): free it so the card is posted again.
        const stopped = this.d.claimsOfStoppedBefore !== undefined && c.postedAt.getTime() < this.d.claimsOfStoppedBefore.getTime();
        if ((c.postedAt.getTime() < staleClaim || stopped) && !c.unreachable) {
          await this.d.cards.releaseStaleClaim(c._id);
          if (c.kind === 'owner') ownersAgain.add(c.ticketKey);
        }
        continue;
      }
      const t = tickets.get(c.ticketKey);
      if (!t) continue;
      team ??= await this.teamContext();
      const { card, hash } = c.kind === 'owner' ? await this.ownerCard(t, c.ownerKey ?? '', team) : await this.sharedCard(t, team);
      if (hash === c.hash) continue;
      try {
        await this.d.sender.updateCard(c.conversationId, c.activityId, card);
        await this.d.cards.shown(c._id, hash, CardPoster.isFinal(t.state), this.clock());
        updated++;
      } catch (err) {
        this.d.logger.warn({ err, ticket: t.lgd.id }, 'could not update a ticket card; the next pass will try again');
      }
    }

    // Cards already posted (e.g. `ticket 123` in a chat) are kept up to date with or without an ops
    // channel, and the owner's copy goes to their own chat; only new triage cards wait for a team.
    if (ownersAgain.size > 0) posted += await this.copyToOwners([...ownersAgain]);
    const ops = await this.d.conversations.opsTeam();
    if (!ops) return { posted, updated };
    const waiting = await this.d.tickets.list({ states: ['needs_triage'], limit: 500 });
    const withCard = await this.d.cards.withOpsCard(waiting.map((t) => t._id));
    const fresh = waiting
      .filter((t) => !withCard.has(t._id) && (!only || only.includes(t._id)))
      .sort((a, b) => a.lgd.createdAt.getTime() - b.lgd.createdAt.getTime())
      .slice(0, this.d.maxNewPerPass ?? 10);
    for (const t of fresh) {
      if (await this.post(ops.opsConversationId, t)) posted++;
    }
    return { posted, updated };
  }

  /** The owner's copy: their own view (Resolve, Discuss, Reassign), in their personal chat. */
  async ownerCard(t: Ticket, ownerKey: string, known?: TeamContext): Promise<{ card: ReturnType<typeof ticketCard>; hash: string }> {
    const team = known ?? (await this.teamContext());
    const model = cardModelOf(t, this.d.link, team.now);
    const card = ticketCard(model, { name: t.owner?.title ?? '', canTriage: false, isOwner: t.owner?.key === ownerKey && t.state === 'owned' }, team);
    return { card, hash: ticketCardHash(model, { ...team, triagerToday: `owner:${ownerKey}:${t.owner?.key ?? ''}` }) };
  }

  /** Sends a copy of each newly owned ticket's card to its owner's personal chat, once per owner. */
  private async copyToOwners(keys: readonly string[]): Promise<number> {
    let sent = 0;
    for (const t of (await this.d.tickets.getMany(keys)).values()) {
      if (t.state !== 'owned' || !t.owner) continue;
      const person = await this.d.people.byAnalystKey(t.owner.key);
      if (!person) continue;
      const id = `${t._id}|owner:${t.owner.key}`;
      if (await this.d.cards.get(id)) continue;
      if (!(await this.d.cards.claim({ _id: id, ticketKey: t._id, conversationId: '', kind: 'owner', ownerKey: t.owner.key, postedAt: this.clock() }))) continue;
      const { card, hash } = await this.ownerCard(t, t.owner.key);
      let activityId: string | null;
      try {
        activityId = await this.d.sender.sendToPerson({ aadObjectId: person._id, teamsUserId: person.teamsUserId }, { card });
      } catch (err) {
        // The claim stays: once stale, a full pass frees it and sends the copy again.
        this.d.logger.warn({ err, ticket: t.lgd.id }, "could not send the owner's copy of a card; it is tried again in a few minutes");
        continue;
      }
      const conv = activityId ? await this.d.conversations.personalOf(person._id) : null;
      if (!activityId || !conv) {
        await this.ownerUnreachable(id, t, person.name, activityId !== null);
        continue;
      }
      await this.d.cards.posted(id, { activityId, conversationId: conv._id, hash }, this.clock());
      sent++;
    }
    return sent;
  }

  /** An owner's copy that cannot be sent (or, sent, cannot be found again to update): recorded, and not retried. */
  private async ownerUnreachable(id: string, t: Ticket, name: string, sent: boolean): Promise<void> {
    await this.d.cards.unreachable(id, this.clock());
    const why = sent ? 'sent, but its chat is not stored, so it cannot be kept up to date' : 'Teams cannot reach them: the app is not installed for them, or they blocked it';
    this.d.logger.warn({ ticket: t.lgd.id, owner: name }, `the owner's copy of a card: ${why}; not retried`);
    try {
      await this.d.audit?.record({
        actor: { name, aadObjectId: null, email: null },
        action: 'notify',
        ticketKey: t._id,
        ticketNumber: t.lgd.id,
        outcome: 'unreachable',
        source: 'teams',
        detail: `owner's copy of the card: ${why}`,
      });
    } catch (err) {
      this.d.logger.error({ err, ticket: t.lgd.id }, 'could not write the audit trail');
    }
  }

  /** Keeps a card the bot sent in a chat (e.g. for `ticket 123`) up to date with its ticket from now on. */
  async track(ticketKey: string, conversationId: string, activityId: string): Promise<void> {
    const t = await this.d.tickets.get(ticketKey);
    if (!t) return;
    const { hash } = await this.sharedCard(t);
    const now = this.clock();
    await this.d.cards.track({ ticketKey, conversationId, activityId, kind: 'view', hash, final: CardPoster.isFinal(t.state), postedAt: now, updatedAt: now });
  }

  /**
   * The ticket's card in the ops channel, posting one first when it has none (a ticket triaged in
   * LGD before the bot came never had a triage card). Null when no ops channel is known.
   */
  async ensureOpsCard(t: Ticket): Promise<PostedCard | null> {
    const ops = await this.d.conversations.opsTeam();
    if (!ops) return null;
    const find = () => this.d.cards.opsCardOf(t._id);
    return (await find()) ?? ((await this.post(ops.opsConversationId, t)) ? find() : null);
  }

  private async post(conversationId: string, t: Ticket): Promise<boolean> {
    const { card, hash } = await this.sharedCard(t);
    const id = `${t._id}|${conversationId}`;
    // Claim first, so two instances never both post the same ticket's card.
    if (!(await this.d.cards.claim({ _id: id, ticketKey: t._id, conversationId, kind: 'ops', postedAt: this.clock() }))) return false;
    try {
      const activityId = await this.d.sender.sendCard(conversationId, card);
      await this.d.cards.posted(id, { activityId, hash, final: CardPoster.isFinal(t.state) }, this.clock());
      return true;
    } catch (err) {
      await this.d.cards.release(id);
      this.d.logger.warn({ err, ticket: t.lgd.id }, 'could not post a triage card; the next pass will try again');
      return false;
    }
  }

  /** Tickets whose cards are final need no more passes. */
  static isFinal(state: string): boolean {
    return isFinalState(state);
  }
}
