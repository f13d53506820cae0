import type { IncomingMessage } from 'node:http';
import type { AppMode } from '../config.js';
import { parseEmail } from '../domain/email-address.js';
import { RequestRefused } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Person } from '../teams/teams-ports.js';
import type { SsoIdentity, SsoTokenCheck } from './sso-token-check.js';

/** The header the tab's demo picker names the acting person in, in open mode (an e-mail / UPN). */
export const DEMO_PERSON_HEADER = 'x-demo-person';

/** Longest X-Demo-Person value read at all (an address is at most 254 characters). */
const DEMO_HEADER_MAX = 320;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What an `/api/*` route lets in, beyond a valid token for a known person (which checked mode
 * always needs). In open mode:
 * - `person` (the default): an `X-Demo-Person` naming a known person, else 401 ChooseDemoPerson;
 * - `anyone`: also no `X-Demo-Person` at all (no person); one naming nobody known is refused;
 * - `choosing`: anything; a header naming nobody known reaches the handler as no person (the route
 *   that lists whom to choose).
 */
export type CallerPolicy = 'person' | 'anyone' | 'choosing';

/** Who is asking, as an API handler receives it (`callerOf(req)`). */
export type Caller =
  /** Checked mode: a verified Teams SSO token for a person the app knows. */
  | { readonly mode: 'checked'; readonly person: Person; readonly signIn: SsoIdentity }
  /** Open mode: the demo person `X-Demo-Person` names, or none. */
  | { readonly mode: 'open'; readonly person: Person | null };

/** The people the identity layer finds callers among (the people repository). */
export interface CallerDirectory {
  byObjectId(oid: string): Promise<Person | null>;
  byEmails(emails: readonly string[]): Promise<Person[]>;
  rememberSignIn(known: Person, seen: { oid: string; name: string | null; email: string | null; upn: string | null }): Promise<Person>;
}

/** Open mode, no person chosen, on a route that needs one. */
export const CHOOSE_DEMO_PERSON = (): RequestRefused =>
  new RequestRefused(
    401,
    'ChooseDemoPerson',
    'This server runs without sign-in (open mode): choose a demo person, sending X-Demo-Person with the e-mail address of a person the app knows.',
    { closeConnection: true },
  );

/** Open mode, X-Demo-Person naming nobody the app knows. */
export const UNKNOWN_DEMO_PERSON = (): RequestRefused =>
  new RequestRefused(401, 'ChooseDemoPerson', 'X-Demo-Person names nobody the app knows: choose one of the demo people the app lists.', { closeConnection: true });

/** Checked mode, a valid token for someone the app cannot find. */
export const UNKNOWN_PERSON = (): RequestRefused =>
  new RequestRefused(
    403,
    'UnknownPerson',
    'You are signed in, but LGD Support does not know you yet: ask a lead to add the app to a team you are in, or open a chat with the LGD Support bot in Teams once, then try again.',
    { closeConnection: true },
  );

const callers = new WeakMap<IncomingMessage, Caller>();

/**
 * The acting person for every `/api/*` route: in checked mode from a verified Teams SSO token
 * (the person with the token's `oid`, else with its UPN or e-mail, linked to the `oid` and
 * completed from the token), 403 UnknownPerson for a valid token the app cannot place; in open
 * mode from `X-Demo-Person`, as the route's CallerPolicy allows. Runs as a route guard, before the
 * body is read; the handler then reads the caller with `callerOf(req)` / `personOf(req)`.
 */
export class RequestIdentity {
  constructor(private readonly o: { sso: SsoTokenCheck | null; people: CallerDirectory; logger: Logger }) {}

  /** Open when no token check is configured; checked otherwise. */
  get mode(): AppMode {
    return this.o.sso ? 'checked' : 'open';
  }

  /** Finds who is asking and keeps it for the handler; throws a RequestRefused (401, 403, 503) when the request may not go on. */
  async establish(req: IncomingMessage, policy: CallerPolicy): Promise<Caller> {
    const caller = this.o.sso ? await this.checked(this.o.sso, req) : await this.open(req, policy);
    callers.set(req, caller);
    return caller;
  }

  private async checked(sso: SsoTokenCheck, req: IncomingMessage): Promise<Caller> {
    const header = req.headers.authorization;
    const signIn = await sso.verify(typeof header === 'string' ? header : undefined);
    const person = await this.personFor(signIn);
    if (!person) {
      this.o.logger.info({ oid: signIn.oid, tokenVersion: signIn.version }, 'API request refused: a valid Teams sign-in for a person the app does not know');
      throw UNKNOWN_PERSON();
    }
    return { mode: 'checked', person, signIn };
  }

  /** The stored person with the token's object id, else with its UPN or e-mail (unless stored under another object id). */
  private async personFor(signIn: SsoIdentity): Promise<Person | null> {
    const seen = { oid: signIn.oid, name: signIn.name, email: signIn.email, upn: signIn.upn };
    const byOid = await this.o.people.byObjectId(signIn.oid);
    if (byOid) return this.o.people.rememberSignIn(byOid, seen);
    const addresses = [...new Set([signIn.upn, signIn.email].filter((a): a is string => a !== null))];
    for (const candidate of addresses.length > 0 ? await this.o.people.byEmails(addresses) : []) {
      // Someone else's object id under the same address (a reused mailbox): not this person.
      if (GUID.test(candidate._id) && candidate._id !== signIn.oid) {
        this.o.logger.warn({ oid: signIn.oid, storedAs: candidate._id }, 'a Teams sign-in shares its address with another Entra user the app knows; not linked');
        continue;
      }
      return this.o.people.rememberSignIn(candidate, seen);
    }
    return null;
  }

  private async open(req: IncomingMessage, policy: CallerPolicy): Promise<Caller> {
    const raw = req.headers[DEMO_PERSON_HEADER];
    if (raw === undefined) {
      if (policy === 'person') throw CHOOSE_DEMO_PERSON();
      return { mode: 'open', person: null };
    }
    const parsed = typeof raw === 'string' && raw.length <= DEMO_HEADER_MAX ? parseEmail(raw) : null;
    const [person = null] = parsed?.ok ? await this.o.people.byEmails([parsed.value]) : [];
    if (!person && policy !== 'choosing') {
      this.o.logger.info({ header: DEMO_PERSON_HEADER }, 'API request refused: X-Demo-Person names nobody the app knows');
      throw UNKNOWN_DEMO_PERSON();
    }
    return { mode: 'open', person };
  }
}

/** Who is asking this request; throws when the route is not behind the identity guard (a wiring mistake: 500). */
export function callerOf(req: IncomingMessage): Caller {
  const caller = callers.get(req);
  if (!caller) throw new Error(`${req.method ?? ''} ${req.url ?? ''}: the route is not behind the identity guard (see guardApiRoutes)`);
  return caller;
}

/** The acting person; in open mode with none chosen, a 401 ChooseDemoPerson. */
export function personOf(req: IncomingMessage): Person {
  const { person } = callerOf(req);
  if (!person) throw CHOOSE_DEMO_PERSON();
  return person;
}
