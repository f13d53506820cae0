import { useState, type ReactNode } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, MessageBar, MessageBarBody, Textarea } from '@fluentui/react-components';
import { LIMITS, type QueueRow } from '../api/contract.js';
import { useTicketAction, type ActionOutcome } from './use-ticket-action.js';

interface Props {
  row: QueueRow;
  onOutcome(o: ActionOutcome): void;
  onClose(): void;
}

/** Update the user: a message LGD sends the raise user, queued through the outbox. */
export function UpdateUserDialog({ row, onOutcome, onClose }: Props): ReactNode {
  const [text, setText] = useState('');
  const action = useTicketAction(onOutcome);
  const tooLong = text.trim().length > LIMITS.userMessage;
  const fieldError = action.failure?.body?.field === 'text' ? action.failure.message : tooLong ? `Keep it to ${LIMITS.userMessage} characters.` : undefined;
  const submit = async (): Promise<void> => {
    if (await action.run(row, 'update-user', { v: row.version, text: text.trim() })) onClose();
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
            <DialogTitle>Update the user on LGD {row.number}</DialogTitle>
            <DialogContent>
              {action.failure && action.failure.body?.field !== 'text' && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{action.failure.message}</MessageBarBody>
                </MessageBar>
              )}
              <Field label={`Message to ${row.raisedBy ?? 'the user'}`} required validationState={fieldError ? 'error' : 'none'} validationMessage={fieldError} hint="LGD sends it to the user, signed with your name.">
                <Textarea value={text} onChange={(_, d) => setText(d.value)} resize="vertical" rows={5} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={action.busy || !text.trim() || tooLong}>
                {action.busy ? 'Sending…' : 'Send update'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
