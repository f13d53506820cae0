import { z } from 'zod';

/** A ticket judged to be project work, as it goes to a project backlog. */
export const newBacklogItemSchema = z.object({
  /** LGD record key (GUID) of the ticket. */
  ticketKey: z.string().trim().min(1),
  /** LGD ticket number, as people quote it. */
  ticketNumber: z.number().int().nonnegative(),
  /** Title of the backlog item. */
  title: z.string().trim().min(1).max(255),
  /** The ticket's description, as the user wrote it. */
  description: z.string(),
  /** The area of the business the work belongs to (see AreaRepository). */
  area: z.string().trim().min(1),
  /** Who raised the ticket in LGD. */
  raisedBy: z.string(),
  /** Link back to the ticket in LGD's web UI. */
  ticketLink: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL'),
  /** Who decided the ticket is project work. */
  decidedBy: z.string().trim().min(1),
  /** Idempotency key: the same request never makes two backlog items. */
  requestId: z.string().trim().min(1).max(200),
});

/** A ticket judged to be project work, as it goes to a project backlog. */
export type NewBacklogItem = z.infer<typeof newBacklogItemSchema>;

/** What the backlog made: its own id, and a link when it has a web page. */
export interface CreatedBacklogItem {
  externalId: string;
  url: string | null;
}

/** Where "Project" tickets go: the built-in backlog or Azure DevOps Boards. */
export interface BacklogPort {
  readonly kind: 'builtin' | 'azure-devops';
  /** Creates the item, or returns the one already made for `item.requestId`. */
  create(item: NewBacklogItem): Promise<CreatedBacklogItem>;
}
