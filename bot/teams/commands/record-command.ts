import type { AuditEntry } from '../../store/audit-log.js';
import type { Actor } from '../actions/action-handler.js';
import type { CommandPorts } from './chat-command.js';

/** Records a chat command in the audit trail: who, what, how it ended, and the detail (bounded). */
export async function recordCommand(ports: CommandPorts, actor: Actor, action: string, outcome: AuditEntry['outcome'], detail: string): Promise<void> {
  await ports.audit.record({
    actor: { name: actor.person.name, aadObjectId: actor.user.aadObjectId ?? null, email: actor.person.email ?? actor.person.upn },
    action,
    ticketKey: null,
    ticketNumber: null,
    outcome,
    source: 'teams',
    detail: detail.slice(0, 500),
  });
}
