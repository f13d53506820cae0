import type { Logger } from '../logger.js';
import type { BacklogRequest } from '../backlog/backlog-outbox.js';
import type { AreaRepository } from '../store/area-repository.js';
import type { BacklogRefused, BacklogUnavailable } from '../errors.js';
import { messageCard } from './cards/message-card.js';
import type { PeopleDirectory, ProactiveSender } from './teams-ports.js';

/**
 * What people are told about a Project decision's backlog item: the area's contacts when it is
 * in the backlog; the lead who decided when it could not be made (the decision stands either way).
 */
export function backlogNotices(d: { areas: AreaRepository; people: PeopleDirectory; sender: ProactiveSender; logger: Logger }) {
  const tell = async (to: { _id: string; teamsUserId: string }, card: ReturnType<typeof messageCard>): Promise<boolean> =>
    (await d.sender.sendToPerson({ aadObjectId: to._id, teamsUserId: to.teamsUserId }, { card })) !== null;

  return {
    /** The item is in the backlog: the area's Programme Delivery Manager / Digital Services Architect pick it up. */
    async onCreated(r: BacklogRequest): Promise<void> {
      const area = await d.areas.get(r.item.area);
      const contacts = area ? await d.people.byEmails(area.contacts) : [];
      const actions = [{ title: `Open LGD ${r.item.ticketNumber}`, url: r.item.ticketLink }];
      if (r.result?.url) actions.push({ title: 'Open the backlog item', url: r.result.url });
      const card = messageCard({
        title: `New project work for ${r.item.area}: ${r.item.title}`,
        text: `${r.item.decidedBy} decided that LGD ${r.item.ticketNumber}, raised by ${r.item.raisedBy}, is project work, not support. It is in the backlog as ${r.result?.externalId ?? 'a new item'}; please pick it up with the customer. The user has been told and the ticket resolved.`,
        kind: 'info',
        facts: [
          { title: 'Ticket', value: `LGD ${r.item.ticketNumber}` },
          { title: 'Backlog item', value: r.result?.externalId ?? '—' },
          { title: 'Decided by', value: r.item.decidedBy },
        ],
        actions,
      });
      const reached: string[] = [];
      for (const c of contacts) if (await tell(c, card)) reached.push(c.email ?? c.name);
      const missed = (area?.contacts ?? []).filter((e) => !reached.includes(e));
      if (missed.length > 0 && r.requestedBy.aadObjectId) {
        await d.sender.sendToPerson(
          { aadObjectId: r.requestedBy.aadObjectId, teamsUserId: r.requestedBy.teamsUserId ?? '' },
          {
            card: messageCard({
              title: `Please tell ${missed.join(', ')} about LGD ${r.item.ticketNumber}`,
              text: `The backlog item for LGD ${r.item.ticketNumber} is made, but I could not reach ${missed.join(', ')} in Teams (they have not used the app yet).`,
              kind: 'warning',
              actions,
            }),
          },
        );
      }
      d.logger.info({ ticket: r.item.ticketNumber, reached: reached.length, missed: missed.length }, 'area contacts told about a backlog item');
    },

    /** The backlog refused or is down: the decision stands; tell the lead who made it. */
    async onFirstFailure(r: BacklogRequest, error: BacklogUnavailable | BacklogRefused): Promise<void> {
      if (!r.requestedBy.aadObjectId) return;
      await d.sender.sendToPerson(
        { aadObjectId: r.requestedBy.aadObjectId, teamsUserId: r.requestedBy.teamsUserId ?? '' },
        {
          card: messageCard({
            title: `The backlog item for LGD ${r.item.ticketNumber} is not made yet`,
            text: error.retryable
              ? `The backlog did not answer (${error.userMessage}). Your Project decision stands; I will keep trying and tell the area's contacts when it is there.`
              : `The backlog refused the item: ${error.userMessage} Your Project decision stands, but the item needs making by hand (or the backlog settings fixing).`,
            kind: error.retryable ? 'warning' : 'error',
            actions: [{ title: `Open LGD ${r.item.ticketNumber}`, url: r.item.ticketLink }],
          }),
        },
      );
    },
  };
}
