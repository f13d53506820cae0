import type { Filter } from 'mongodb';
import type { PeopleDirectory, Person, TeamsUser } from '../teams/teams-ports.js';
import type { DocCollection, Store } from './doc-collection.js';
import { COLLECTIONS } from './collections.js';
import type { AnalystDoc } from './reference-repository.js';

/** What Teams can tell about a member beyond the activity's `from`. */
export type MemberDetails = { email?: string; userPrincipalName?: string; name?: string };

type Mapping = Pick<Person, 'analyst' | 'mappedBy'>;

const UNMAPPED: Mapping = { analyst: null, mappedBy: null };

/** A case-insensitive exact match on a string field. */
function exactly(value: string): { $regex: string; $options: string } {
  return { $regex: `^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, $options: 'i' };
}

/** The part of an address before the `@`, or null when there is none. */
function localPart(address: string | null): string | null {
  const at = address?.indexOf('@') ?? -1;
  return address && at > 0 ? address.slice(0, at) : null;
}

/** Lower-cases an optional address; empty becomes null. */
function normalised(address: string | null | undefined): string | null {
  const s = address?.trim().toLowerCase();
  return s ? s : null;
}

function sameMapping(a: Mapping, b: Mapping): boolean {
  return a.mappedBy === b.mappedBy && a.analyst?.key === b.analyst?.key && a.analyst?.name === b.analyst?.name && a.analyst?.title === b.analyst?.title;
}

/**
 * People the bot has met, in the store (`people`), mapped to LGD analysts (`lgd_analysts`). The
 * mapping is recomputed from the cached e-mail / UPN whenever a person is read, so it follows LGD's
 * analyst list as the worker refreshes it; a lead's override wins while its analyst exists.
 */
export class PeopleRepository implements PeopleDirectory {
  private readonly people: DocCollection<Person>;
  private readonly analysts: DocCollection<AnalystDoc>;

  constructor(
    store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.people = store.collection<Person>(COLLECTIONS.people);
    this.analysts = store.collection<AnalystDoc>(COLLECTIONS.lgdAnalysts);
  }

  /** Creates the indexes the lookups use. */
  async init(): Promise<void> {
    await this.people.createIndex({ email: 1 });
    await this.people.createIndex({ upn: 1 });
    await this.people.createIndex({ 'analyst.key': 1 });
  }

  /** The person behind `user`; asks `lookup` for e-mail / UPN only while neither is known. */
  async resolve(user: TeamsUser, lookup?: () => Promise<MemberDetails | null>): Promise<Person> {
    const known = await this.find(user);
    let details: MemberDetails | null = null;
    if (!known?.email && !known?.upn && lookup) details = await lookup();
    return this.save(known, {
      _id: user.aadObjectId ?? known?._id ?? user.id,
      teamsUserId: user.id,
      name: user.name ?? details?.name ?? known?.name ?? '',
      email: normalised(details?.email) ?? known?.email ?? null,
      upn: normalised(details?.userPrincipalName) ?? known?.upn ?? null,
    });
  }

  /** Records roster members, keeping what is already known where a member lacks a field. */
  async remember(members: { id: string; aadObjectId?: string; name?: string; email?: string; userPrincipalName?: string }[]): Promise<void> {
    for (const m of members) {
      const known = await this.find(m);
      await this.save(known, {
        _id: m.aadObjectId ?? known?._id ?? m.id,
        teamsUserId: m.id,
        name: m.name ?? known?.name ?? '',
        email: normalised(m.email) ?? known?.email ?? null,
        upn: normalised(m.userPrincipalName) ?? known?.upn ?? null,
      });
    }
  }

  /** Maps a known person to the analyst called `analystName` (case-insensitive); null if either is unknown. */
  async override(who: { email?: string; aadObjectId?: string }, analystName: string): Promise<Person | null> {
    const analyst = await this.analysts.findOne({ name: exactly(analystName.trim()) }, { sort: { _id: 1 } });
    if (!analyst) return null;
    const email = normalised(who.email);
    const or: Filter<Person>[] = [];
    if (who.aadObjectId) or.push({ _id: who.aadObjectId });
    if (email) or.push({ email }, { upn: email });
    if (or.length === 0) return null;
    const person = await this.people.findOne({ $or: or });
    if (!person) return null;
    const updated: Person = {
      ...person,
      analyst: { key: analyst._id, name: analyst.name, title: analyst.title },
      mappedBy: 'override',
      updatedAt: this.now(),
    };
    await this.people.replaceOne({ _id: person._id }, withoutId(updated), { upsert: true });
    return updated;
  }

  /** People whose e-mail or UPN is one of `emails` (case-insensitive), with a current mapping. */
  async byEmails(emails: readonly string[]): Promise<Person[]> {
    const wanted = [...new Set(emails.map((e) => e.toLowerCase()))];
    if (wanted.length === 0) return [];
    const found = await this.people.find({ $or: [{ email: { $in: wanted } }, { upn: { $in: wanted } }] }, { sort: { _id: 1 } }).toArray();
    return Promise.all(found.map((p) => this.save(p, p)));
  }

  /** The people the app knows, by name, at most `limit`, each with a current mapping (the open mode's demo people). */
  async list(limit: number): Promise<Person[]> {
    const found = await this.people.find({}, { sort: { name: 1, _id: 1 }, limit }).toArray();
    return Promise.all(found.map((p) => this.save(p, p)));
  }

  /** The person currently mapped to analyst `key`: by override, else by the analyst's e-mail or login name. */
  async byAnalystKey(key: string): Promise<Person | null> {
    const analyst = await this.analysts.findOne({ _id: key });
    if (!analyst) return null;
    const or: Filter<Person>[] = [{ 'analyst.key': key }];
    const email = normalised(analyst.email);
    if (email) or.push({ email }, { upn: email });
    const login = analyst.name.trim();
    if (login) {
      const atLogin = { $regex: `^${login.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}@`, $options: 'i' };
      or.push({ upn: exactly(login) }, { upn: atLogin }, { email: atLogin });
    }
    const candidates = await this.people.find({ $or: or }, { sort: { _id: 1 } }).toArray();
    const current = await Promise.all(candidates.map((p) => this.save(p, p)));
    const mapped = current.filter((p) => p.analyst?.key === key);
    const order: Person['mappedBy'][] = ['override', 'email', 'login'];
    mapped.sort((a, b) => order.indexOf(a.mappedBy) - order.indexOf(b.mappedBy));
    return mapped[0] ?? null;
  }

  /** Everyone the app knows (at most `limit`, by name), with a current mapping: the Settings → People list. */
  async all(limit = 1000): Promise<Person[]> {
    const found = await this.people.find({}, { sort: { name: 1, _id: 1 }, limit }).toArray();
    return Promise.all(found.map((p) => this.save(p, p)));
  }

  /** Removes a lead's override of the person with this e-mail or UPN (back to mapping by e-mail / login); the person as now mapped, or null when unknown. */
  async clearOverride(email: string): Promise<Person | null> {
    const address = email.trim().toLowerCase();
    const person = await this.people.findOne({ $or: [{ email: address }, { upn: address }] }, { sort: { _id: 1 } });
    if (!person) return null;
    // Stored unmapped first, so the mapping is worked out again without the override.
    const cleared: Person = { ...person, ...UNMAPPED, updatedAt: this.now() };
    await this.people.replaceOne({ _id: person._id }, withoutId(cleared));
    return this.save(cleared, cleared);
  }

  /** People mapped to an LGD analyst (at most `limit`, by name), with a current mapping: the team as the tab's People view lists it. */
  async mapped(limit = 500): Promise<Person[]> {
    const found = await this.people.find({ analyst: { $ne: null } }, { sort: { name: 1, _id: 1 }, limit }).toArray();
    const current = await Promise.all(found.map((p) => this.save(p, p)));
    return current.filter((p) => p.analyst !== null);
  }

  /** The person with this Entra object id (a checked GUID), with a current mapping; null when unknown. */
  async byObjectId(oid: string): Promise<Person | null> {
    const person = await this.people.findOne({ _id: oid });
    return person && this.save(person, person);
  }

  /**
   * Links a person found for a Teams sign-in to the token's object id (re-keying one stored under
   * its Teams id) and fills in what Teams has not told yet (name, e-mail, UPN) from the token.
   */
  async rememberSignIn(known: Person, seen: { oid: string; name: string | null; email: string | null; upn: string | null }): Promise<Person> {
    return this.save(known, {
      _id: seen.oid,
      teamsUserId: known.teamsUserId,
      name: known.name || seen.name || '',
      email: known.email ?? normalised(seen.email),
      upn: known.upn ?? normalised(seen.upn),
    });
  }

  /** The stored person for a Teams user: by aad object id, else by Teams id. */
  private async find(user: { id: string; aadObjectId?: string }): Promise<Person | null> {
    if (user.aadObjectId) {
      const byAad = await this.people.findOne({ _id: user.aadObjectId });
      if (byAad) return byAad;
    }
    return this.people.findOne({ teamsUserId: user.id });
  }

  /** Recomputes the mapping of `fields` and writes the person when anything changed; returns the person. */
  private async save(known: Person | null, fields: Pick<Person, '_id' | 'teamsUserId' | 'name' | 'email' | 'upn'>): Promise<Person> {
    const mapping = await this.mappingFor(fields, known);
    const unchanged =
      known !== null &&
      known._id === fields._id &&
      known.teamsUserId === fields.teamsUserId &&
      known.name === fields.name &&
      known.email === fields.email &&
      known.upn === fields.upn &&
      sameMapping(known, mapping);
    if (unchanged) return known;
    const person: Person = { ...fields, ...mapping, updatedAt: this.now() };
    if (known && known._id !== person._id) await this.people.deleteOne({ _id: known._id });
    await this.people.replaceOne({ _id: person._id }, withoutId(person), { upsert: true });
    return person;
  }

  /** Override (while its analyst exists), then e-mail, then login name; unmapped when none fits. */
  private async mappingFor(p: Pick<Person, 'email' | 'upn'>, known: Person | null): Promise<Mapping> {
    if (known?.mappedBy === 'override' && known.analyst) {
      const a = await this.analysts.findOne({ _id: known.analyst.key });
      if (a) return { analyst: { key: a._id, name: a.name, title: a.title }, mappedBy: 'override' };
    }
    for (const address of [p.email, p.upn]) {
      if (!address) continue;
      const a = await this.analysts.findOne({ email: exactly(address) }, { sort: { _id: 1 } });
      if (a) return { analyst: { key: a._id, name: a.name, title: a.title }, mappedBy: 'email' };
    }
    const logins = [localPart(p.upn), localPart(p.email), p.upn].filter((s): s is string => !!s);
    for (const login of logins) {
      const a = await this.analysts.findOne({ name: exactly(login) }, { sort: { _id: 1 } });
      if (a) return { analyst: { key: a._id, name: a.name, title: a.title }, mappedBy: 'login' };
    }
    return UNMAPPED;
  }
}

/** A person document without its `_id`, as `replaceOne` takes it. */
function withoutId(p: Person): Omit<Person, '_id'> {
  const { _id: _ignored, ...rest } = p;
  return rest;
}
