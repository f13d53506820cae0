import type { SimState } from './sim-state.js';

const HOUR = 3_600_000;

/** Seeds a small demo data set (three groups, four analysts, eight incidents with notes) ending at `now`. */
export function seedDemoData(state: SimState, now: Date, teamGroup = 'LGSS-IT-Digital'): void {
  const team = state.addGroup(teamGroup);
  const desk = state.addGroup('Service Desk');
  const network = state.addGroup('Network Team');
  const ana = state.addAnalyst({ name: 'ana.silva', title: 'Ana Silva', email: 'ana.silva@example.invalid' });
  const ben = state.addAnalyst({ name: 'ben.okafor', title: 'Ben Okafor', email: 'ben.okafor@example.invalid' });
  state.addAnalyst({ name: 'chloe.martin', title: 'Chloe Martin', email: 'chloe.martin@example.invalid' });
  const dev = state.addAnalyst({ name: 'dev.patel', title: 'Dev Patel', email: 'dev.patel@example.invalid' });

  const t = (hoursAgo: number): Date => new Date(now.getTime() - hoursAgo * HOUR);
  const rows: [string, string, string, string | null, string][] = [
    ['Outlook will not open (demo)', 'New', team.guid, null, 'Email'],
    ['New starter needs a laptop (demo)', 'Active', team.guid, ana.guid, 'Hardware'],
    ['VPN drops every hour (demo)', 'Active', network.guid, dev.guid, 'Network'],
    ['Password reset (demo)', 'Resolved', desk.guid, ben.guid, 'Accounts'],
    ['Printer on floor 2 jams (demo)', 'With Customer', team.guid, ben.guid, 'Hardware'],
    ['Access to the finance share (demo)', 'New', team.guid, null, 'Access'],
    ['Teams calls have no audio (demo)', 'Active', team.guid, ana.guid, 'Software'],
    ['Old ticket (demo)', 'Closed', desk.guid, null, 'Other'],
  ];
  rows.forEach(([title, status, groupKey, userKey, category], i) => {
    const inc = state.raiseIncident({
      title,
      description: `${title}: generated demo data.`,
      status,
      raiseUser: `End User ${i + 1}`,
      priority: i % 3 === 0 ? '2' : '3',
      category,
      at: t(48 - i * 5),
    });
    state.assign(inc.key, { groupKey, userKey, description: 'Initial assignment', by: 'System', at: t(47 - i * 5) });
    if (i % 2 === 1) state.addNote(inc.key, { title: 'Approved', text: 'Approved (demo)', by: 'Ana Silva', at: t(46 - i * 5) });
    state.touch(inc.key, t(45 - i * 5));
  });
}
