import type { SimState } from './sim-state.js';

/** How many of the simulator's team analysts the open-mode demo offers as people. */
const DEMO_TEAM_SIZE = 6;

/**
 * The demo's team, as people to act as in open mode: the demo's Operations Lead first, then the
 * analysts who have the most tickets of the team's group in the simulated LGD (so each has a
 * queue to show), at most six. Their e-mails are their analysts', so each maps by e-mail.
 */
export function demoTeam(state: SimState, teamGroup: string | undefined, lead: string | null): { name: string; email: string }[] {
  const group = teamGroup ? state.groupByTitle(teamGroup) : undefined;
  const counts = new Map<string, number>();
  for (const inc of state.incidents.values()) {
    if (group && inc.groupKey === group.guid && inc.userKey) counts.set(inc.userKey, (counts.get(inc.userKey) ?? 0) + 1);
  }
  const analysts = [...state.analysts.values()].filter((a) => a.email);
  const byLoad = [...analysts].sort((a, b) => (counts.get(b.guid) ?? 0) - (counts.get(a.guid) ?? 0) || a.name.localeCompare(b.name));
  const first = lead ? analysts.filter((a) => a.email.toLowerCase() === lead.toLowerCase()) : [];
  const team = [...first, ...byLoad.filter((a) => !first.includes(a))].slice(0, DEMO_TEAM_SIZE);
  return team.map((a) => ({ name: a.title || a.name, email: a.email.toLowerCase() }));
}
