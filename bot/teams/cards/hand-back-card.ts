import type { AdaptiveCard } from './card-model.js';
import { adaptiveCard, execute, noticeBlock, openUrl, text, type CardElement, type CardNotice } from './card-elements.js';
import { rowData, rowHeading, type DutyTicketRow } from './duty-row.js';

/**
 * The end-of-day card to an owner who is not on the next working day's support list: each ticket
 * with Hand back to the team (the group) and Hand to… (a team member, through the reassign form),
 * and Hand all back to the team.
 */
export function handBackCard(o: { nextDay: string; group: string; tickets: readonly DutyTicketRow[]; notice?: CardNotice }): AdaptiveCard {
  const body: CardElement[] = [
    text(`You are not on support on ${o.nextDay}`, { size: 'medium', weight: 'bolder' }),
    text(
      o.tickets.length > 0
        ? `Hand your tickets back to ${o.group} (or to a team member you agreed it with) so someone else can pick them up.`
        : 'You hold no tickets now. Thank you.',
      { spacing: 'small' },
    ),
  ];
  if (o.notice) body.push(noticeBlock(o.notice));
  for (const r of o.tickets) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        rowHeading(r),
        {
          type: 'ActionSet',
          actions: [execute('Hand back to the team', 'handBack', rowData(r, 'handBack')), execute('Hand to…', 'reassignForm', rowData(r, 'handBack')), openUrl('Open in LGD', r.lgdLink)],
        },
      ],
    });
  }
  const first = o.tickets[0];
  if (o.tickets.length > 1 && first) body.push({ type: 'ActionSet', actions: [execute('Hand all back to the team', 'handBackAll', rowData(first, 'handBack'), { style: 'positive' })] });
  return adaptiveCard(body);
}
