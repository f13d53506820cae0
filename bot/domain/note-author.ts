/**
 * Who wrote a note, as far as the triage rule cares: the app's own service account, an LGD
 * analyst, the ticket's raise user (a customer, e.g. through the self-service portal), or someone
 * else. LGD gives only the author's display title (`CreationUser.Title`), so the title is matched
 * against the analysts of LGD's reference data. Pure.
 */

export type NoteAuthorKind = 'service' | 'analyst' | 'raise_user' | 'other';

/** A note's author, classified when the note was synced and stored with it. */
export interface NoteAuthor {
  kind: NoteAuthorKind;
  /** An analyst the team knows: one a lead or a mapped person of the team is linked to. */
  team: boolean;
}

/** The titles a note author is matched against, normalised (trimmed, lower case). */
export interface AuthorDirectory {
  /** Titles the app's service account writes as (its analyst record's title, its login name). */
  readonly service: ReadonlySet<string>;
  /** Titles of LGD's analysts. */
  readonly analysts: ReadonlySet<string>;
  /** Titles of the analysts the team knows (leads, mapped people). */
  readonly team: ReadonlySet<string>;
}

const norm = (s: string | null | undefined): string => (s ?? '').trim().replace(/\s+/g, ' ').toLowerCase();

/** Builds a directory from display titles as LGD spells them. */
export function authorDirectory(titles: { service: Iterable<string>; analysts: Iterable<string>; team: Iterable<string> }): AuthorDirectory {
  const set = (xs: Iterable<string>): Set<string> => new Set([...xs].map(norm).filter((s) => s !== ''));
  return { service: set(titles.service), analysts: set(titles.analysts), team: set(titles.team) };
}

/**
 * Classifies a note's author. The service account comes first (only the app writes as it); then the
 * raise user, even when they are also an analyst (a customer's own words are never a decision);
 * then LGD's analysts; anyone else (an unknown title, an empty one) is "other".
 */
export function classifyNoteAuthor(createdBy: string | null, raiseUser: string | null, dir: AuthorDirectory): NoteAuthor {
  const who = norm(createdBy);
  const team = who !== '' && dir.team.has(who);
  if (who === '') return { kind: 'other', team: false };
  if (dir.service.has(who)) return { kind: 'service', team };
  if (who === norm(raiseUser)) return { kind: 'raise_user', team };
  if (dir.analysts.has(who)) return { kind: 'analyst', team };
  return { kind: 'other', team };
}

/**
 * The author of a note stored before authors were classified: the raise user is still recognised
 * by title; anyone else is taken for an analyst, as the app did then (such notes are not re-read).
 */
export function legacyNoteAuthor(createdBy: string | null, raiseUser: string | null): NoteAuthor {
  const who = norm(createdBy);
  return who !== '' && who === norm(raiseUser) ? { kind: 'raise_user', team: false } : { kind: 'analyst', team: true };
}
