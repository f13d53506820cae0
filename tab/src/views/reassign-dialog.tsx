import { useEffect, useState, type ReactNode } from 'react';
import { Button, Combobox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar, MessageBarBody, Option, Textarea } from '@fluentui/react-components';
import { ApiFailure } from '../api/api-client.js';
import { LIMITS, type QueueRow, type Target, type TargetsResponse } from '../api/contract.js';
import { useApp } from '../app-context.js';
import { useTicketAction, type ActionOutcome } from './use-ticket-action.js';

interface Props {
  row: QueueRow;
  onOutcome(o: ActionOutcome): void;
  onClose(): void;
}

/** Reassign: to one of LGD's groups or analysts (searched as you type), with a reason. */
export function ReassignDialog({ row, onOutcome, onClose }: Props): ReactNode {
  const { api } = useApp();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Target[]>([]);
  const [searching, setSearching] = useState(false);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [target, setTarget] = useState<Target | null>(null);
  const [reason, setReason] = useState('');
  const action = useTicketAction(onOutcome);

  useEffect(() => {
    let alive = true;
    const t = setTimeout(() => {
      setSearching(true);
      api
        .read<TargetsResponse>(`/targets?q=${encodeURIComponent(query.slice(0, LIMITS.targetsQuery))}&top=15`)
        .then((r) => {
          if (!alive) return;
          setResults(r.results);
          setSearchError(null);
        })
        .catch((err: unknown) => {
          if (alive) setSearchError(err instanceof ApiFailure ? err.message : String(err));
        })
        .finally(() => alive && setSearching(false));
    }, 250);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [api, query]);

  const field = action.failure?.body?.field;
  const submit = async (): Promise<void> => {
    if (!target) return;
    if (await action.run(row, 'reassign', { v: row.version, target: target.value, reason: reason.trim() })) onClose();
  };
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
            <DialogTitle>Reassign LGD {row.number}</DialogTitle>
            <DialogContent>
              {action.failure && field !== 'target' && field !== 'reason' && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{action.failure.message}</MessageBarBody>
                </MessageBar>
              )}
              <Field
                label="Group or person"
                required
                hint={searching ? 'Searching…' : 'Type part of a group name, a person’s name or e-mail.'}
                validationState={field === 'target' || searchError ? 'error' : 'none'}
                validationMessage={field === 'target' ? action.failure?.message : (searchError ?? undefined)}
              >
                <Combobox
                  freeform
                  value={target && query === target.title ? target.title : query}
                  onInput={(e) => {
                    setQuery((e.target as HTMLInputElement).value);
                    setTarget(null);
                  }}
                  onOptionSelect={(_, d) => {
                    const t = results.find((r) => r.value === d.optionValue) ?? null;
                    setTarget(t);
                    if (t) setQuery(t.title);
                  }}
                  placeholder="e.g. Service Desk, or Ann"
                >
                  {results.map((r) => (
                    <Option key={r.value} value={r.value} text={r.title}>
                      {r.kind === 'group' ? `Group: ${r.title}` : `${r.title}${r.email ? ` (${r.email})` : ''}`}
                    </Option>
                  ))}
                </Combobox>
              </Field>
              <Field
                label="Why"
                required
                validationState={field === 'reason' ? 'error' : 'none'}
                validationMessage={field === 'reason' ? action.failure?.message : undefined}
                hint="Written to LGD with the reassignment."
              >
                <Textarea value={reason} onChange={(_, d) => setReason(d.value.slice(0, LIMITS.reason))} rows={3} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={action.busy || !target || !reason.trim()}>
                {action.busy ? 'Reassigning…' : 'Reassign'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
