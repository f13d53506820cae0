import type { BacklogRequest, BacklogRequester } from '../store/backlog-request-repository.js';
import { newBacklogItemSchema, type NewBacklogItem } from './backlog-port.js';

/**
 * A backlog item as it is queued: checked (throws on an item the backlog would refuse), due at
 * once, with who asked and who to tell once it is made. Its requestId is its idempotency key.
 */
export function backlogRequestOf(item: NewBacklogItem, requestedBy: BacklogRequester, now: Date, notify?: readonly string[]): BacklogRequest {
  const valid = newBacklogItemSchema.parse(item);
  return {
    _id: valid.requestId,
    item: valid,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    requestedBy,
    createdAt: now,
    updatedAt: now,
    ...(notify ? { notify: [...notify] } : {}),
  };
}
