import { backoffMs } from '../domain/outbox.js';
import type { Logger } from '../logger.js';
import type { CardJob, CardJobRepository } from '../store/card-job-repository.js';
import type { CardRepository } from '../store/card-repository.js';
import type { TicketRepository } from '../store/ticket-repository.js';
import type { CardPoster } from './card-poster.js';
import { mention, md } from './cards/markdown.js';
import type { PeopleDirectory, ProactiveSender } from './teams-ports.js';

/** How long one attempt holds a job before another pass may take it over. */
const CLAIM_MS = 120_000;

/** Most jobs run per pass. */
const BATCH = 10;

export interface CardJobRunnerDeps {
  jobs: CardJobRepository;
  tickets: Pick<TicketRepository, 'get'>;
  cards: Pick<CardRepository, 'startDiscussion'>;
  poster: Pick<CardPoster, 'ensureOpsCard'>;
  people: Pick<PeopleDirectory, 'byAnalystKey'>;
  sender: Pick<ProactiveSender, 'replyInThread'>;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
}

/** What one pass did, by job id. */
export interface CardJobReport {
  done: string[];
  retrying: string[];
  failed: string[];
}

/**
 * Does the card work actions leave to the worker, from the store: a failed attempt is retried with
 * backoff until Teams takes it; a job that cannot be done (the ticket or the ops channel is gone)
 * is recorded as failed, with the reason in the log.
 */
export class CardJobRunner {
  private readonly clock: () => Date;

  constructor(private readonly d: CardJobRunnerDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  /** Runs every due job once. */
  async runDue(now: Date = this.clock()): Promise<CardJobReport> {
    const report: CardJobReport = { done: [], retrying: [], failed: [] };
    for (const job of await this.d.jobs.claimDue(now, CLAIM_MS, BATCH)) report[await this.runOne(job, now)].push(job._id);
    return report;
  }

  private async runOne(job: CardJob, now: Date): Promise<keyof CardJobReport> {
    const log = this.d.logger.child({ job: job._id, ticket: job.ticketKey });
    try {
      const failure = await this.discuss(job);
      if (failure) {
        await this.d.jobs.failed(job._id, failure);
        log.warn(`card job given up: ${failure}`);
        return 'failed';
      }
      await this.d.jobs.done(job._id);
      return 'done';
    } catch (err) {
      const at = new Date(now.getTime() + backoffMs(job.attempts, this.d.random));
      await this.d.jobs.retryAt(job._id, at, err instanceof Error ? err.message : String(err));
      log.warn({ err, attempts: job.attempts, nextAttemptAt: at }, 'card job failed; will try again');
      return 'retrying';
    }
  }

  /** Opens the discussion in the thread of the ticket's ops card (posting the card first when it has none); the reason when it cannot. */
  private async discuss(job: CardJob): Promise<string | null> {
    const t = await this.d.tickets.get(job.ticketKey);
    if (!t) return 'the ticket is no longer held';
    const card = await this.d.poster.ensureOpsCard(t);
    if (!card) return 'no ops channel to post the ticket card in';
    if (card.discussStartedAt) return null;
    const owner = t.owner ? await this.d.people.byAnalystKey(t.owner.key) : null;
    const who = owner ? mention(owner.name) : (t.owner?.title ?? 'Team');
    await this.d.sender.replyInThread(
      card.conversationId,
      card.activityId,
      md`${who}, ${job.requestedBy.name} would like to talk about LGD ${t.lgd.id} (${t.lgd.title}). Ideas on how to fix it welcome here.`,
      owner ? [{ id: owner.teamsUserId, name: owner.name }] : [],
    );
    await this.d.cards.startDiscussion(card._id, this.clock());
    return null;
  }
}
