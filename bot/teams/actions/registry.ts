import type { ActionHandler } from './action-handler.js';
import { approve } from './approve.js';
import { notifyLead } from './notify-lead.js';
import { reassign } from './reassign.js';
import { reassignForm } from './reassign-form.js';
import { refresh } from './refresh.js';
import { takeOwnership } from './take-ownership.js';

/** Every card verb the bot answers, in one list: one handler file per verb. */
export const ACTION_HANDLERS: readonly ActionHandler<never>[] = [refresh, approve, reassignForm, reassign, takeOwnership, notifyLead] as unknown as readonly ActionHandler<never>[];
