import type { ActionHandler } from './action-handler.js';
import { approve } from './approve.js';
import { notifyLead } from './notify-lead.js';
import { reassign } from './reassign.js';
import { reassignForm } from './reassign-form.js';
import { refresh } from './refresh.js';
import { takeOwnership } from './take-ownership.js';
import { projectForm } from './project-form.js';
import { project } from './project.js';
import { resolveForm } from './resolve-form.js';
import { resolve } from './resolve.js';
import { discuss } from './discuss.js';
import { updateUserForm } from './update-user-form.js';
import { updateUser } from './update-user.js';
import { noChangeToday } from './no-change-today.js';
import { nudgeRefresh } from './nudge-refresh.js';
import { handBack } from './hand-back.js';
import { handBackAll } from './hand-back-all.js';
import { longWorkAgree } from './long-work-agree.js';
import { longWorkForm } from './long-work-form.js';
import { longWork } from './long-work.js';

/** Every card verb the bot answers, in one list: one handler file per verb. */
export const ACTION_HANDLERS: readonly ActionHandler<never>[] = [
  refresh,
  approve,
  projectForm,
  project,
  reassignForm,
  reassign,
  takeOwnership,
  notifyLead,
  resolveForm,
  resolve,
  discuss,
  updateUserForm,
  updateUser,
  noChangeToday,
  nudgeRefresh,
  handBack,
  handBackAll,
  longWorkForm,
  longWork,
  longWorkAgree,
] as unknown as readonly ActionHandler<never>[];
