import type { ChatCommand } from './chat-command.js';

/** `map <email> to <LGD login>`: a triager links a person to their LGD analyst record by hand. */
export const mapPerson: ChatCommand = {
  name: 'map',
  usage: 'map ann@example.org to ann.lead',
  description: "Link someone's Teams account to their LGD analyst login (triagers only).",
  // Whitespace and non-whitespace alternate, so the match is linear in the text (an e-mail pattern here took seconds on "map @@@…").
  pattern: /^map\s+(\S+)\s+to\s+(\S+)$/i,
  async handle(m, actor, _place, ports) {
    if (!actor.canTriage) return { text: 'Only a lead or today\'s Operations Lead can link people to LGD analysts. Nothing was changed.' };
    const [, email, login] = m as unknown as [string, string, string];
    const at = email.indexOf('@');
    if (at <= 0 || at === email.length - 1) return { text: 'The person must be named by their e-mail address, like this: "map ann@example.org to ann.lead". Nothing was changed.' };
    const person = await ports.people.override({ email: email.toLowerCase() }, login);
    await ports.audit.record({
      actor: { name: actor.person.name, aadObjectId: actor.user.aadObjectId ?? null, email: actor.person.email },
      action: 'map',
      ticketKey: null,
      ticketNumber: null,
      outcome: person ? 'done' : 'invalid',
      source: 'teams',
      detail: `${email} → ${login}`,
    });
    if (!person) return { text: `I could not link ${email} to "${login}": either the person has not used the app in this team yet or LGD has no analyst with that login. Nothing was changed.` };
    return { text: `${person.name} (${email}) now acts in LGD as ${person.analyst?.title ?? login}.` };
  },
};
