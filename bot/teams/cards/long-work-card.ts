import type { AdaptiveCard } from './card-model.js';
import { adaptiveCard, execute, factSet, noticeBlock, openUrl, text, type CardElement, type CardNotice } from './card-elements.js';
import { rowData, rowHeading, type DutyTicketRow } from './duty-row.js';

/**
 * The card to the Operations Lead about work that takes more than the guideline's days: Agree,
 * Discuss (the ticket's thread) or Make it a Project (the Project path). `gap` says the rota has
 * nobody that day, so the leads get it.
 */
export function longWorkCard(o: {
  row: DutyTicketRow;
  owner: string;
  /** Why it is raised: the owner's reason, or the duty pass's own words. */
  why: string;
  guideline: string;
  gap: boolean;
  notice?: CardNotice;
}): AdaptiveCard {
  const body: CardElement[] = [
    text(`Work that will take ${o.guideline}`, { size: 'medium', weight: 'bolder', color: 'warning' }),
    rowHeading(o.row),
    factSet([
      { title: 'Owner', value: o.owner },
      { title: 'Why', value: o.why },
    ]),
  ];
  if (o.gap) body.push(text('The rota has a gap: nobody is Operations Lead today, so the leads get this.', { color: 'warning' }));
  if (o.notice) body.push(noticeBlock(o.notice));
  body.push({
    type: 'ActionSet',
    actions: [
      execute('Agree', 'longWorkAgree', rowData(o.row), { style: 'positive' }),
      execute('Discuss', 'discuss', rowData(o.row)),
      execute('Make it a Project', 'projectForm', rowData(o.row)),
      openUrl('Open in LGD', o.row.lgdLink),
    ],
  });
  return adaptiveCard(body);
}
