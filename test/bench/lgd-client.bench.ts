/**
 * Listing every ticket of the group through the LGD client (session, paging, zod validation,
 * date parsing, de-duplication) against raw fetches of the same page URLs with JSON.parse only.
 */
import { LgdClient } from '../../bot/lgd/client/lgd-client.js';
import { defaultLgdMapping } from '../../bot/lgd/lgd-mapping.js';
import { startLgdSimulator } from '../../bot/lgd/simulator/lgd-simulator.js';
import type { BenchContext } from './run.js';
import { rawLgdSession } from './raw-lgd.js';

const TICKETS = 5_000;
const GROUP = 'LGSS-IT-Digital';

export default async function bench(ctx: BenchContext): Promise<void> {
  const sim = await startLgdSimulator();
  try {
    const group = sim.state.addGroup(GROUP);
    const other = sim.state.addGroup('Service Desk');
    const from = Date.parse('2026-01-05T09:00:00Z');
    for (let i = 0; i < TICKETS * 1.2; i++) {
      sim.state.raiseIncident({
        title: `Ticket ${i + 1}`,
        description: 'Generated for the bench',
        status: i % 7 === 0 ? 'New' : 'Active',
        groupKey: i % 6 === 5 ? other.guid : group.guid,
        raiseUser: 'Sam Jones',
        priority: '3',
        category: 'Software',
        at: new Date(from + i * 60_000),
      });
    }
    const expected = [...sim.state.incidents.values()].filter((x) => x.groupKey === group.guid).length;

    const pageUrls: string[] = [];
    const recording: typeof fetch = (input, init) => {
      const url = input instanceof Request ? input.url : input.toString();
      if (url.toLowerCase().includes('list.rails')) pageUrls.push(url);
      return fetch(input, init);
    };
    const recorder = new LgdClient({ baseUrl: sim.baseUrl, username: 'lgd.service', password: 'lgd-simulator', mapping: defaultLgdMapping, fetch: recording });
    const first = await recorder.listIncidents({ groups: [GROUP] });
    if (first.length !== expected) throw new Error(`client listed ${first.length} tickets, expected ${expected}`);
    const urls = [...pageUrls];

    const get = await rawLgdSession(sim.baseUrl);
    let rawCount = 0;
    const raw = async (): Promise<void> => {
      rawCount = 0;
      for (const url of urls) {
        const body = (await get(url)) as { objects: unknown[] };
        rawCount += body.objects.length;
      }
    };
    await raw();
    if (rawCount !== expected) throw new Error(`raw fetches saw ${rawCount} tickets, expected ${expected}`);

    const opts = { iterations: 7, warmup: 1 };
    const baseline = await ctx.measure(raw, opts);
    // The clients measured use their own transport (lgd-transport.ts), as the app's does; only the recording went through fetch().
    const fresh = (): LgdClient =>
      new LgdClient({ baseUrl: sim.baseUrl, username: 'lgd.service', password: 'lgd-simulator', mapping: defaultLgdMapping });
    const client = fresh();
    await client.listIncidents({ groups: [GROUP] });
    const cold = await ctx.measure(() => fresh().listIncidents({ groups: [GROUP] }), opts);
    const warm = await ctx.measure(() => client.listIncidents({ groups: [GROUP] }), opts);
    ctx.note('tickets of the group / pages of 100', `${expected} / ${urls.length}`);
    ctx.compare(`list ${expected}: new LgdClient (log-on, cold dates) vs raw`, cold, baseline, 'median');
    ctx.compare(`list ${expected}: same LgdClient again (a poll) vs raw`, warm, baseline, 'median');
  } finally {
    await sim.close();
  }
}
