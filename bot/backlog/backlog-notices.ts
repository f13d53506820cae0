import type { Logger } from '../logger.js';
import type { BacklogRefused, BacklogUnavailable } from '../errors.js';
import type { AreaRepository } from '../store/area-repository.js';
import type { BacklogRequest } from '../store/backlog-request-repository.js';
import type { NewNotice, NoticeMessage, NoticeRecipient } from '../store/notice-repository.js';
import type { PeopleDirectory } from '../teams/teams-ports.js';

/** Where what people are owed is queued; the worker sends it and retries. */
export interface NoticeQueue {
  /** Queues a notice (idempotent by id). */
  enqueue(n: NewNotice): Promise<unknown>;
}

/** The lead who decided, as someone to tell; null when nothing says who they are in Teams. */
function requesterOf(r: BacklogRequest): NoticeRecipient | null {
  const by = r.requestedBy;
  return by.aadObjectId || by.teamsUserId ? { name: by.name, aadObjectId: by.aadObjectId, teamsUserId: by.teamsUserId ?? '' } : null;
}

/**
 * What people are told about a Project decision's backlog item: the people the decision named
 * (the area's contacts, or those typed in the form) when it is in the backlog; the lead who decided
 * when it could not be made, or when a contact cannot be reached (the decision stands either way).
 * Everything goes through the notice queue, so a failed send is retried.
 */
export function backlogNotices(d: { areas: Pick<AreaRepository, 'get'>; people: Pick<PeopleDirectory, 'byEmails'>; notices: NoticeQueue; logger: Logger }) {
  const pleaseTell = (r: BacklogRequest, who: readonly string[], actions: NoticeMessage['actions']): NoticeMessage => ({
    title: `Please tell ${who.join(', ')} about LGD ${r.item.ticketNumber}`,
    text: `The backlog item for LGD ${r.item.ticketNumber} is made, but I could not reach ${who.join(', ')} in Teams (they have not used the app yet, or blocked it).`,
    kind: 'warning',
    actions,
  });

  return {
    /** The item is in the backlog: the people to tell (Programme Delivery Manager / Digital Services Architect) pick it up. */
    onCreated: async (r: BacklogRequest): Promise<void> => {
      const contacts = r.notify ?? (await d.areas.get(r.item.area))?.contacts ?? [];
      const people = await d.people.byEmails(contacts);
      const requester = requesterOf(r);
      const actions = [{ title: `Open LGD ${r.item.ticketNumber}`, url: r.item.ticketLink }];
      if (r.result?.url) actions.push({ title: 'Open the backlog item', url: r.result.url });
      const message: NoticeMessage = {
        title: `New project work for ${r.item.area}: ${r.item.title}`,
        text: `${r.item.decidedBy} decided that LGD ${r.item.ticketNumber}, raised by ${r.item.raisedBy}, is project work, not support. It is in the backlog as ${r.result?.externalId ?? 'a new item'}; please pick it up with the customer. The user has been told and the ticket resolved.`,
        kind: 'info',
        facts: [
          { title: 'Ticket', value: `LGD ${r.item.ticketNumber}` },
          { title: 'Backlog item', value: r.result?.externalId ?? '—' },
          { title: 'Decided by', value: r.item.decidedBy },
        ],
        actions,
      };
      const about = `project work for ${r.item.area}, LGD ${r.item.ticketNumber}`;
      const missed: string[] = [];
      for (const email of contacts) {
        const p = people.find((x) => x.email === email || x.upn === email);
        if (!p) {
          missed.push(email);
          continue;
        }
        await d.notices.enqueue({
          _id: `backlog:${r._id}:${email}`,
          to: { name: p.name || email, aadObjectId: p._id, teamsUserId: p.teamsUserId },
          about,
          ticketKey: r.item.ticketKey,
          ticketNumber: r.item.ticketNumber,
          message,
          ...(requester ? { fallback: { id: `backlog:${r._id}:${email}:fallback`, to: requester, about: `passing on ${about} to ${email}`, message: pleaseTell(r, [email], actions) } } : {}),
        });
      }
      if (missed.length > 0 && requester) {
        await d.notices.enqueue({ _id: `backlog:${r._id}:missed`, to: requester, about: `passing on ${about}`, ticketKey: r.item.ticketKey, ticketNumber: r.item.ticketNumber, message: pleaseTell(r, missed, actions) });
      } else if (missed.length > 0) {
        d.logger.warn({ ticket: r.item.ticketNumber, missed }, 'area contacts unknown in Teams, and nothing says who decided: nobody can pass it on');
      }
      d.logger.info({ ticket: r.item.ticketNumber, told: contacts.length - missed.length, missed: missed.length }, 'telling the people named for a backlog item');
    },

    /** The backlog refused or is down: the decision stands; tell the lead who made it. */
    onFirstFailure: async (r: BacklogRequest, error: BacklogUnavailable | BacklogRefused): Promise<void> => {
      const requester = requesterOf(r);
      if (!requester) {
        d.logger.warn({ ticket: r.item.ticketNumber, code: error.code }, 'the backlog item is not made yet, and nothing says who decided: nobody to tell');
        return;
      }
      await d.notices.enqueue({
        _id: `backlog-failure:${r._id}`,
        to: requester,
        about: `backlog item for LGD ${r.item.ticketNumber} not made yet`,
        ticketKey: r.item.ticketKey,
        ticketNumber: r.item.ticketNumber,
        message: {
          title: `The backlog item for LGD ${r.item.ticketNumber} is not made yet`,
          text: error.retryable
            ? `The backlog did not answer (${error.userMessage}). Your Project decision stands; I will keep trying and tell the people named when it is there.`
            : `The backlog refused the item: ${error.userMessage} Your Project decision stands, but the item needs making by hand (or the backlog settings fixing).`,
          kind: error.retryable ? 'warning' : 'error',
          actions: [{ title: `Open LGD ${r.item.ticketNumber}`, url: r.item.ticketLink }],
        },
      });
    },
  };
}
