import { describe, expect, it } from 'vitest';
import { becomesFirstLead, isOwnerOf, leadRemovalRefusal, mayManageTeam, mayReassign, mayResolve, mayTriage } from '../../bot/domain/permissions.js';

describe('who may do what', () => {
  it('lets a lead triage any day and the rota lead on their day; nobody else', () => {
    expect(mayTriage({ isLead: true, isRotaLeadToday: false })).toBe(true);
    expect(mayTriage({ isLead: false, isRotaLeadToday: true })).toBe(true);
    expect(mayTriage({ isLead: false, isRotaLeadToday: false })).toBe(false);
  });

  it('lets only leads manage the team (leads, areas)', () => {
    expect(mayManageTeam({ isLead: true })).toBe(true);
    expect(mayManageTeam({ isLead: false })).toBe(false);
  });

  it('never removes the last lead, and says why a removal is refused', () => {
    expect(leadRemovalRefusal(['ann@x.org', 'bob@x.org'], 'bob@x.org')).toBeNull();
    expect(leadRemovalRefusal(['ann@x.org'], 'ann@x.org')).toMatch(/last lead: add another lead first/);
    expect(leadRemovalRefusal(['ann@x.org'], 'eve@x.org')).toMatch(/eve@x.org is not a lead/);
  });

  it('makes the installer the first lead only when there is none', () => {
    expect(becomesFirstLead(0)).toBe(true);
    expect(becomesFirstLead(1)).toBe(false);
  });
});

describe('who may reassign and resolve', () => {
  const owned = { state: 'owned', owner: { key: 'DEV-1' } };

  it('lets triagers reassign, and the owner hand their ticket back', () => {
    expect(mayReassign({ mayTriage: true, isOwner: false })).toBe(true);
    expect(mayReassign({ mayTriage: false, isOwner: true })).toBe(true);
    expect(mayReassign({ mayTriage: false, isOwner: false })).toBe(false);
  });

  it('lets only the owner of an owned ticket resolve it ("see it through to completion")', () => {
    expect(isOwnerOf(owned, 'dev-1')).toBe(true);
    expect(mayResolve(owned, 'dev-1')).toBe(true);
    expect(mayResolve(owned, 'dev-2')).toBe(false);
    expect(mayResolve(owned, undefined)).toBe(false);
    expect(mayResolve({ state: 'approved_unassigned', owner: null }, 'dev-1')).toBe(false);
    expect(mayResolve({ state: 'needs_triage', owner: { key: 'dev-1' } }, 'dev-1')).toBe(false);
  });
});
