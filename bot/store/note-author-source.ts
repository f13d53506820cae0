import { authorDirectory, type AuthorDirectory } from '../domain/note-author.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import type { AnalystDoc } from './reference-repository.js';

/** The part of a stored person (`people`) this source reads: whom they are mapped to in LGD. */
interface MappedPerson {
  _id: string;
  analyst: { key: string; title: string } | null;
}

export interface NoteAuthorSourceOptions {
  /** The service account's log-on name (LGD_USERNAME): its analyst record is found by name. */
  serviceUsername: string;
  /** The leads' e-mail addresses / UPNs; their analysts (by e-mail) are part of the team. */
  leads: () => Promise<readonly string[]> | readonly string[];
}

/**
 * Who may have written a note, from the store: LGD's analysts (the synced `lgd_analysts`), the
 * service account (its analyst record's title, found by log-on name, and the log-on name itself,
 * which is what LGD shows when the account has no analyst record), and the team (the analysts
 * mapped people and leads are linked to). Read once per sync pass and after each write.
 */
export class NoteAuthorSource {
  private readonly analysts: DocCollection<AnalystDoc>;
  private readonly people: DocCollection<MappedPerson>;

  constructor(
    store: Store,
    private readonly opts: NoteAuthorSourceOptions,
  ) {
    this.analysts = store.collection<AnalystDoc>(COLLECTIONS.lgdAnalysts);
    this.people = store.collection<MappedPerson>(COLLECTIONS.people);
  }

  /** The directory as the store holds it now. */
  async load(): Promise<AuthorDirectory> {
    const [analysts, mapped, leads] = await Promise.all([
      this.analysts.find({}, { projection: { _id: 1, name: 1, title: 1, email: 1 } }).toArray(),
      this.people.find({ analyst: { $ne: null } }, { projection: { _id: 1, analyst: 1 } }).toArray(),
      Promise.resolve(this.opts.leads()),
    ]);
    const login = this.opts.serviceUsername.trim().toLowerCase();
    const leadSet = new Set(leads.map((l) => l.trim().toLowerCase()));
    const title = (a: AnalystDoc): string => a.title || a.name;
    return authorDirectory({
      service: [this.opts.serviceUsername, ...analysts.filter((a) => a.name.trim().toLowerCase() === login).map(title)],
      analysts: analysts.map(title),
      team: [
        ...mapped.flatMap((p) => (p.analyst ? [p.analyst.title] : [])),
        ...analysts.filter((a) => a.email && leadSet.has(a.email.trim().toLowerCase())).map(title),
      ],
    });
  }
}
