import { useEffect, useState, type ReactNode } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Spinner, Textarea } from '@fluentui/react-components';
import { ApiFailure } from '../api/api-client.js';
import { LIMITS, type ProjectDefaults, type QueueRow } from '../api/contract.js';
import { useApp } from '../app-context.js';
import { useTicketAction, type ActionOutcome } from './use-ticket-action.js';

interface Props {
  row: QueueRow;
  onOutcome(o: ActionOutcome): void;
  onClose(): void;
}

const OTHER = '__other__';
const NONE = '__none__';

/**
 * Project: the message to the user, the area (a known one, another named, or none), anyone else
 * to tell and the backlog title. The server queues the note, the message and the resolve.
 */
export function ProjectDialog({ row, onOutcome, onClose }: Props): ReactNode {
  const { api } = useApp();
  const [defaults, setDefaults] = useState<ProjectDefaults | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [area, setArea] = useState<string>(NONE);
  const [otherArea, setOtherArea] = useState('');
  const [contacts, setContacts] = useState('');
  const [backlogTitle, setBacklogTitle] = useState('');
  const action = useTicketAction(onOutcome);

  useEffect(() => {
    let alive = true;
    api
      .read<ProjectDefaults>(`/tickets/${encodeURIComponent(row.key)}/project-defaults`)
      .then((d) => {
        if (!alive) return;
        setDefaults(d);
        setMessage(d.message);
        setBacklogTitle(d.backlogTitle);
      })
      .catch((err: unknown) => alive && setLoadError(err instanceof ApiFailure ? err.message : String(err)));
    return () => {
      alive = false;
    };
  }, [api, row.key]);

  const field = action.failure?.body?.field;
  const err = (f: string): { validationState: 'error' | 'none'; validationMessage?: string } =>
    field === f ? { validationState: 'error', validationMessage: action.failure?.message } : { validationState: 'none' };
  const contactList = contacts
    .split(/[,;\s]+/)
    .map((c) => c.trim())
    .filter(Boolean);
  const submit = async (): Promise<void> => {
    const ok = await action.run(row, 'project', {
      v: row.version,
      message: message.trim(),
      area: area === NONE || area === OTHER ? null : area,
      otherArea: area === OTHER ? otherArea.trim() : null,
      contacts: contactList,
      backlogTitle: backlogTitle.trim(),
    });
    if (ok) onClose();
  };
  const ready = message.trim() && backlogTitle.trim() && (area !== OTHER || otherArea.trim());
  const areaLabel = area === NONE ? 'No area' : area === OTHER ? 'Another area…' : area;
  return (
    <Dialog open modalType="modal" onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface aria-describedby={undefined}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <DialogBody>
            <DialogTitle>LGD {row.number} is project work</DialogTitle>
            <DialogContent>
              {loadError && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{loadError}</MessageBarBody>
                </MessageBar>
              )}
              {action.failure && !['message', 'area', 'otherArea', 'contacts', 'backlogTitle'].includes(field ?? '') && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{action.failure.message}</MessageBarBody>
                </MessageBar>
              )}
              {!defaults && !loadError ? (
                <Spinner label="Loading the form…" />
              ) : (
                <>
                  <Field label="Message to the user" required hint="LGD sends it to the user; the ticket is then resolved." {...err('message')}>
                    <Textarea value={message} onChange={(_, d) => setMessage(d.value.slice(0, LIMITS.userMessage))} rows={5} resize="vertical" />
                  </Field>
                  <Field label="Area" hint="Its Programme Delivery Manager / Digital Services Architect is told." {...err('area')}>
                    <Dropdown value={areaLabel} selectedOptions={[area]} onOptionSelect={(_, d) => setArea(d.optionValue ?? NONE)}>
                      <Option value={NONE}>No area</Option>
                      {(defaults?.areas ?? []).map((a) => (
                        <Option key={a.area} value={a.area} text={a.area}>
                          {`${a.area}${a.contacts.length ? ` (tells ${a.contacts.join(', ')})` : ''}`}
                        </Option>
                      ))}
                      <Option value={OTHER}>Another area…</Option>
                    </Dropdown>
                  </Field>
                  {area === OTHER && (
                    <Field label="Other area" required {...err('otherArea')}>
                      <Input value={otherArea} onChange={(_, d) => setOtherArea(d.value.slice(0, LIMITS.area))} />
                    </Field>
                  )}
                  <Field label="Also tell" hint="E-mail addresses, separated by commas." {...err('contacts')}>
                    <Input value={contacts} onChange={(_, d) => setContacts(d.value)} type="text" inputMode="email" />
                  </Field>
                  <Field label="Backlog title" required {...err('backlogTitle')}>
                    <Input value={backlogTitle} onChange={(_, d) => setBacklogTitle(d.value.slice(0, LIMITS.backlogTitle))} />
                  </Field>
                </>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={action.busy || !ready || !defaults}>
                {action.busy ? 'Deciding…' : 'Decide: project work'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
