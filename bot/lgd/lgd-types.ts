/**
 * LGD records as the rest of the app sees them: parsed, validated and with real dates. Keys are
 * LGD record GUIDs (`value` in its answers); `id` is the ticket number people see.
 */

/** An incident as listed or opened. Empty reference attributes are null. */
export interface LgdIncident {
  /** Record GUID. */
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

/** A note on an incident. */
export interface LgdNote {
  key: string;
  /** GUID of the incident the note belongs to. */
  incidentKey: string;
  title: string;
  text: string;
  createdAt: Date;
  createdBy: string | null;
  /** True when the raise user sees the note (an end-user update). */
  notifyRaiseUser: boolean;
}

/** A support group (reference data). */
export interface LgdGroup {
  key: string;
  name: string;
  title: string;
}

/** An analyst (reference data). */
export interface LgdAnalyst {
  key: string;
  name: string;
  title: string;
  email: string | null;
}

/** A resolution category offered by Resolve. */
export interface LgdResolutionCategory {
  key: string;
  title: string;
}

/** What a write returned: the new child record's key when LGD said it. */
export interface LgdWriteResult {
  key: string | null;
}
