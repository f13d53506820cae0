import { pino, type Logger } from 'pino';
import type { NewBacklogItem } from '../../bot/backlog/backlog-port.js';

/** A "Project" ticket on its way to the backlog; `over` replaces any field. */
export function newItem(over: Partial<NewBacklogItem> = {}): NewBacklogItem {
  return {
    ticketKey: '6f1c2a9e-0000-4000-8000-000000004711',
    ticketNumber: 4711,
    title: 'Self-service portal for parking permits',
    description: 'Please build a <portal> so residents can renew "permits" & pay.\nThey ask daily.',
    area: 'Place & Economy',
    raisedBy: 'Jo Bloggs',
    ticketLink: 'https://lgd.example/ServiceDesk.WebAccess/wd/object/open.rails?class_name=IncidentManagement.Incident&key=6f1c',
    decidedBy: 'Ann Lovelace',
    requestId: 'project-4711-1',
    ...over,
  };
}

/** A logger that keeps every line it writes, as text. */
export function recordingLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  return { logger: pino({ level: 'trace' }, { write: (s: string) => void lines.push(s) }), text: () => lines.join('') };
}
