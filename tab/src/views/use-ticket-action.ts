import { useCallback, useState } from 'react';
import { ApiFailure } from '../api/api-client.js';
import type { ActionBodies, ActionVerb, Notice, QueueRow } from '../api/contract.js';
import { useApp } from '../app-context.js';

/** What an action came to: the row to show now (if the server sent one) and what to tell the person. */
export interface ActionOutcome {
  verb: ActionVerb;
  ok: boolean;
  row: QueueRow | null;
  /** The key of a row to drop: the ticket left the team's queue (reassigned away). */
  gone?: string;
  notice: Notice | { kind: 'error'; text: string };
}

/**
 * Runs ticket actions against the API: busy while waiting, the failure kept for the dialog to show
 * (with the field at fault), and every outcome (success, or a refusal carrying the current row)
 * reported to the queue so it can replace the row and say what happened.
 */
export function useTicketAction(onOutcome: (o: ActionOutcome) => void) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  const run = useCallback(
    async <V extends ActionVerb>(row: QueueRow, verb: V, body: ActionBodies[V]): Promise<boolean> => {
      setBusy(true);
      setFailure(null);
      try {
        const res = await api.act(row.key, verb, body);
        onOutcome({ verb, ok: true, row: res.row, ...(res.row ? {} : { gone: row.key }), notice: res.notice });
        return true;
      } catch (err) {
        const f = err instanceof ApiFailure ? err : new ApiFailure(0, null, String(err));
        setFailure(f);
        onOutcome({ verb, ok: false, row: f.body?.row ?? null, notice: { kind: 'error', text: f.message } });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [api, onOutcome],
  );

  return { run, busy, failure, clear: () => setFailure(null) };
}
