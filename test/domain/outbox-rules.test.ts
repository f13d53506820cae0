import { describe, expect, it } from 'vitest';
import { countsInTeamView, isMadeOrOwed, owesLgd, queuedForLgd, type OutboxStatus } from '../../bot/domain/outbox.js';
import { at, entry } from './ticket-fixtures.js';

const write = { kind: 'note', text: 'Looked at the logs' } as const;
const withStatus = (status: OutboxStatus, settled = false) => entry(status, write, { status, settledAt: settled ? at(9) : null });
const ALL: OutboxStatus[] = ['pending', 'in_flight', 'unknown', 'delivered', 'refused', 'dry_run'];

describe('the outbox entry rules', () => {
  it('LGD is still owed a write that waits, is being sent, or got no answer', () => {
    expect(ALL.filter((s) => owesLgd(withStatus(s)))).toEqual(['pending', 'in_flight', 'unknown']);
  });

  it('a write LGD confirmed keeps counting in the team\'s view until a read of LGD shows it (read-your-writes)', () => {
    expect(ALL.filter((s) => countsInTeamView(withStatus(s)))).toEqual(['pending', 'in_flight', 'unknown', 'delivered']);
    expect(countsInTeamView(withStatus('delivered', true))).toBe(false);
  });

  it('what LGD refused, or a dry run only logged, was never made', () => {
    expect(ALL.filter((s) => isMadeOrOwed(withStatus(s)))).toEqual(['pending', 'in_flight', 'unknown', 'delivered']);
    expect(isMadeOrOwed(withStatus('delivered', true))).toBe(true);
  });

  it('a card and the API say how many writes are queued for LGD', () => {
    expect(queuedForLgd(ALL.map((s) => withStatus(s)))).toBe(3);
    expect(queuedForLgd([])).toBe(0);
  });
});
