/**
 * LGD records as the rest of the app sees them: parsed, validated and with real dates. Keys are
 * LGD record GUIDs (`value` in its answers); `id` is the ticket number people see.
 */
import type { IncidentFacts, IncidentNote } from '../domain/incident-facts.js';

/**
 * An incident as listed or opened, and a note on one: the client parses LGD's records straight into
 * the domain's facts, so the rest of the app never depends on LGD's shapes.
 */
export type LgdIncident = IncidentFacts;
export type LgdNote = IncidentNote;

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
