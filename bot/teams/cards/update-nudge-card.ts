import { USER_MESSAGE_MAX } from '../../domain/commands.js';
import type { AdaptiveCard } from './card-model.js';
import { adaptiveCard, execute, factSet, noticeBlock, openUrl, text, type CardElement, type CardNotice } from './card-elements.js';
import { rowData, rowHeading, type DutyTicketRow } from './duty-row.js';

/** The id of a row's update box: one per ticket, since a card sends all its inputs with an action. */
export const updateInputId = (ticketNumber: number): string => `update-${ticketNumber}`;

/**
 * The afternoon card to an owner whose users have not heard from them today: each ticket with when
 * its user last heard, a box to write an update (Send update) and No change today. The card comes
 * back in place after each action, with the tickets done marked.
 */
export function updateNudgeCard(o: {
  ownerName: string;
  /** The owner's Teams id: Teams asks them for the card as it stands now each time they see it (tickets done elsewhere drop off). */
  ownerTeamsId?: string;
  guideline: string;
  owed: readonly DutyTicketRow[];
  done?: readonly DutyTicketRow[];
  notice?: CardNotice;
}): AdaptiveCard {
  const body: CardElement[] = [
    text('Update your users today', { size: 'medium', weight: 'bolder' }),
    text(
      o.owed.length > 0
        ? `The team updates each user ${o.guideline}, even when nothing changed. ${o.owed.length === 1 ? 'This user has' : 'These users have'} not heard from you today:`
        : 'Every user on this card has heard from you today. Thank you.',
      { spacing: 'small' },
    ),
  ];
  if (o.notice) body.push(noticeBlock(o.notice));
  for (const r of o.owed) {
    body.push({
      type: 'Container',
      separator: true,
      items: [
        rowHeading(r),
        factSet([{ title: 'User last heard', value: r.lastHeard }]),
        {
          type: 'Input.Text',
          id: updateInputId(r.number),
          label: 'Update for the user',
          placeholder: 'What the user reads in LGD',
          isMultiline: true,
          maxLength: USER_MESSAGE_MAX,
        },
        {
          type: 'ActionSet',
          actions: [
            execute('Send update', 'updateUser', rowData(r, 'nudge'), { style: 'positive', associatedInputs: 'auto' }),
            execute('No change today', 'noChangeToday', rowData(r, 'nudge'), { associatedInputs: 'none' }),
            openUrl('Open in LGD', r.lgdLink),
          ],
        },
      ],
    });
  }
  for (const r of o.done ?? []) body.push(text(`LGD ${r.number}: the user heard from you ${r.lastHeard}.`, { isSubtle: true, separator: true }));
  const any = o.owed[0] ?? o.done?.[0];
  const refresh = o.ownerTeamsId && any ? { action: { type: 'Action.Execute' as const, verb: 'nudgeRefresh' as const, data: rowData(any, 'nudge') }, userIds: [o.ownerTeamsId] } : undefined;
  return adaptiveCard(body, refresh);
}
