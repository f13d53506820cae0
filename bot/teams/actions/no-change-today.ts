import { NO_CHANGE_TODAY_TEXT } from '../../domain/duties.js';
import { ticketActionData, type ActionHandler } from './action-handler.js';
import { sendUserUpdate } from './update-user.js';

/** noChangeToday: tells the user, in the team's standard words, that work goes on and nothing changed today. */
export const noChangeToday: ActionHandler = {
  verb: 'noChangeToday',
  schema: ticketActionData,
  writes: true,
  handle: (data, actor, ports) => sendUserUpdate(data, actor, ports, NO_CHANGE_TODAY_TEXT, '"No change today"'),
};
