import { updateGuidelineText, userUpdatedToday } from '../../domain/guidelines.js';
import { lastUserUpdate } from '../../domain/ticket-times.js';
import type { TeamCalendar } from '../../domain/calendar.js';
import { withWeekday } from '../../domain/iso-date.js';
import type { AdaptiveCard } from '../cards/card-model.js';
import type { CardNotice } from '../cards/card-elements.js';
import { handBackCard } from '../cards/hand-back-card.js';
import { updateNudgeCard } from '../cards/update-nudge-card.js';
import { dutyRowOf } from '../duty-row-of.js';
import type { ActionPorts, Actor } from './action-handler.js';

async function calendarOf(ports: ActionPorts): Promise<TeamCalendar> {
  if (!ports.calendar) throw new Error('the duty cards need the team calendar in the action ports');
  return ports.calendar.current();
}

/** The update-the-user card as it stands now for the actor: their owned tickets whose users have not heard today, and those done. */
export async function nudgeView(actor: Actor, ports: ActionPorts, notice?: CardNotice): Promise<AdaptiveCard> {
  const calendar = await calendarOf(ports);
  const now = ports.now();
  const key = actor.person.analyst?.key;
  const owned = key ? await ports.tickets.ownedBy(key) : [];
  const heard = (t: (typeof owned)[number]): boolean => userUpdatedToday(lastUserUpdate(t), now, calendar);
  return updateNudgeCard({
    ownerName: actor.person.name,
    ownerTeamsId: actor.user.id,
    guideline: updateGuidelineText(ports.guidelines),
    owed: owned.filter((t) => !heard(t)).map((t) => dutyRowOf(t, ports.link, now, calendar)),
    done: owned.filter(heard).map((t) => dutyRowOf(t, ports.link, now, calendar)),
    notice,
  });
}

/** The hand-back card as it stands now for the actor: the tickets they still own. */
export async function handBackView(actor: Actor, ports: ActionPorts, group: string, notice?: CardNotice): Promise<AdaptiveCard> {
  const calendar = await calendarOf(ports);
  const now = ports.now();
  const key = actor.person.analyst?.key;
  const owned = key ? await ports.tickets.ownedBy(key) : [];
  return handBackCard({
    nextDay: withWeekday(calendar.nextWorkingDay(calendar.todayIn(now))),
    group,
    tickets: owned.map((t) => dutyRowOf(t, ports.link, now, calendar)),
    notice,
  });
}
