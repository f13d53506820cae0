/**
 * What the domain needs to know of a service-desk ticket and its notes, whatever desk it comes
 * from. The LGD client parses LGD's records straight into these (bot/lgd/lgd-types.ts names them
 * for LGD's side); another service desk would map into them in its own folder.
 */

/** A ticket as the service desk holds it. Empty reference attributes are null. */
export interface IncidentFacts {
  /** The desk's record key (LGD: a GUID). */
  key: string;
  /** Ticket number people see, e.g. 40123. */
  id: number;
  title: string;
  description: string;
  status: string;
  groupTitle: string | null;
  groupKey: string | null;
  userTitle: string | null;
  userKey: string | null;
  raiseUser: string | null;
  priority: string | null;
  category: string | null;
  createdAt: Date;
  lastUpdate: Date;
}

/** A note on a ticket. */
export interface IncidentNote {
  key: string;
  /** Key of the ticket the note belongs to. */
  incidentKey: string;
  title: string;
  text: string;
  createdAt: Date;
  createdBy: string | null;
  /** True when the raise user sees the note (an end-user update). */
  notifyRaiseUser: boolean;
}
