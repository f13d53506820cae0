import { mayManageTeam } from '../../domain/permissions.js';
import type { Actor } from '../actions/action-handler.js';
import type { CommandPorts, CommandReply } from './chat-command.js';
import { recordCommand } from './record-command.js';

/** Null when the actor may manage the team (leads, areas); else the refusal, audited. */
export async function requireLead(ports: CommandPorts, actor: Actor, action: string, what: string): Promise<CommandReply | null> {
  if (mayManageTeam({ isLead: await ports.roles.isLead(actor.person) })) return null;
  await recordCommand(ports, actor, action, 'not_allowed', 'not a lead');
  return { text: `Only a lead developer or scrum master (a lead) can ${what}. Say "leads" to see who they are. Nothing was changed.` };
}
