import type { Logger } from '../logger.js';
import type { PeopleDirectory } from './teams-ports.js';

/**
 * Open-mode demo only: makes the demo's team known as people (who would otherwise be known only
 * once the bot is installed in a team), so the tab in a plain browser has people to act as. Those
 * already known are left as they are; ids are `demo:<e-mail>` (no Entra object id: none exists).
 */
export async function seedDemoPeople(people: Pick<PeopleDirectory, 'byEmails' | 'remember'>, team: readonly { name: string; email: string }[], logger: Logger): Promise<number> {
  const known = new Set((await people.byEmails(team.map((p) => p.email))).flatMap((p) => [p.email, p.upn]));
  const fresh = team.filter((p) => !known.has(p.email));
  if (fresh.length === 0) return 0;
  await people.remember(fresh.map((p) => ({ id: `demo:${p.email}`, name: p.name, email: p.email, userPrincipalName: p.email })));
  logger.info({ people: fresh.map((p) => p.email) }, 'demo people made known for the tab in open mode (choose one with X-Demo-Person)');
  return fresh.length;
}
