import { useState, type ReactNode } from 'react';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Dropdown, Field, Input, MessageBar, MessageBarBody, Option, Radio, RadioGroup, Spinner, makeStyles } from '@fluentui/react-components';
import { ApiFailure } from '../api/api-client.js';
import { PATTERN_DAYS, type PatternDay, type PeopleResponse, type PersonRef, type RotaWriteResponse } from '../api/contract.js';
import { useResource } from '../api/use-resource.js';
import { useApp } from '../app-context.js';
import { rotaWriteOf, type RotaForm } from '../logic/rota-write.js';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: '12px' },
  day: { display: 'grid', gridTemplateColumns: '90px 1fr 1fr', gap: '8px', alignItems: 'end', '@media (max-width: 560px)': { gridTemplateColumns: '1fr' } },
  content: { display: 'flex', flexDirection: 'column', gap: '12px' },
});

const DAY_NAMES: Record<PatternDay, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday' };
const KEEP = '__keep__';
const CLEAR = '__clear__';

interface Props {
  /** The day to start from (the cell that was chosen), or today. */
  start: string;
  today: string;
  onSaved(r: RotaWriteResponse): void;
  onClose(): void;
}

/** People to choose from: the team members and owners the server knows, with an e-mail. */
function choices(p: PeopleResponse | null): PersonRef[] {
  return (p?.people ?? []).filter((x) => x.email).map((x) => ({ name: x.name, email: x.email }));
}

/** Edits the rota (triagers): one day, a range, or a weekly pattern over a range; only working days are written. */
export function RotaEditor({ start, today, onSaved, onClose }: Props): ReactNode {
  const styles = useStyles();
  const { api } = useApp();
  const people = useResource<PeopleResponse>('/people');
  const list = choices(people.data);
  const nameOf = (email: string): string => list.find((p) => p.email === email)?.name ?? email;
  const [form, setForm] = useState<RotaForm>({ mode: 'day', from: start, to: start, lead: '', clearLead: false, support: [], supportAction: 'keep', pattern: {} });
  const [problem, setProblem] = useState<{ field: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (): Promise<void> => {
    const check = rotaWriteOf(form, today);
    if (!check.ok) {
      setProblem({ field: check.field, message: check.message });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onSaved(await api.send<RotaWriteResponse>('PUT', '/rota', check.body));
      onClose();
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure(0, null, String(err));
      setProblem({ field: f.body?.field ?? '', message: f.message });
    } finally {
      setBusy(false);
    }
  };
  const fieldProps = (field: string): { validationState: 'error' | 'none'; validationMessage?: string } =>
    problem && (problem.field === field || problem.field.startsWith(`${field}.`)) ? { validationState: 'error', validationMessage: problem.message } : { validationState: 'none' };
  const known = new Set(['from', 'to', 'lead', 'support', ...PATTERN_DAYS.map((d) => `pattern.${d}`)]);
  const general = problem && ![...known].some((k) => problem.field === k || problem.field.startsWith(`${k}.`));

  const leadValue = form.clearLead ? CLEAR : form.lead || KEEP;
  const patternDay = (day: PatternDay): { lead: string; support: string[] } => form.pattern[day] ?? { lead: '', support: [] };
  const setPattern = (day: PatternDay, p: { lead: string; support: string[] }): void => setForm({ ...form, pattern: { ...form.pattern, [day]: p } });

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
            <DialogTitle>Edit the rota</DialogTitle>
            <DialogContent className={styles.content}>
              {general && (
                <MessageBar intent="error" role="alert">
                  <MessageBarBody>{problem.message}</MessageBarBody>
                </MessageBar>
              )}
              {people.data === null && people.loading && <Spinner size="tiny" label="Loading the team…" />}
              {people.error && people.data === null && (
                <MessageBar intent="warning">
                  <MessageBarBody>Could not load the team to choose from ({people.error.message}).</MessageBarBody>
                </MessageBar>
              )}
              <Field label="What to set">
                <RadioGroup layout="horizontal" value={form.mode} onChange={(_, d) => setForm({ ...form, mode: d.value as RotaForm['mode'] })}>
                  <Radio value="day" label="One day" />
                  <Radio value="range" label="A range" />
                  <Radio value="pattern" label="A weekly pattern over a range" />
                </RadioGroup>
              </Field>
              <div className={styles.row}>
                <Field label={form.mode === 'day' ? 'Day' : 'From'} required {...fieldProps('from')}>
                  <Input type="date" value={form.from} min={today} onChange={(_, d) => setForm({ ...form, from: d.value })} />
                </Field>
                {form.mode !== 'day' && (
                  <Field label="To" required {...fieldProps('to')}>
                    <Input type="date" value={form.to} min={form.from || today} onChange={(_, d) => setForm({ ...form, to: d.value })} />
                  </Field>
                )}
              </div>
              {form.mode !== 'pattern' ? (
                <>
                  <Field label="Operations Lead" {...fieldProps('lead')}>
                    <Dropdown
                      value={leadValue === KEEP ? 'Leave as it is' : leadValue === CLEAR ? 'Nobody (clear)' : nameOf(leadValue)}
                      selectedOptions={[leadValue]}
                      onOptionSelect={(_, d) => {
                        const v = d.optionValue ?? KEEP;
                        setForm({ ...form, lead: v === KEEP || v === CLEAR ? '' : v, clearLead: v === CLEAR });
                      }}
                    >
                      <Option value={KEEP}>Leave as it is</Option>
                      <Option value={CLEAR}>Nobody (clear)</Option>
                      {list.map((p) => (
                        <Option key={p.email} value={p.email ?? ''} text={p.name}>
                          {`${p.name} (${p.email})`}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                  <Field label="Developers on support">
                    <RadioGroup layout="horizontal" value={form.supportAction} onChange={(_, d) => setForm({ ...form, supportAction: d.value as RotaForm['supportAction'] })}>
                      <Radio value="keep" label="Leave as it is" />
                      <Radio value="set" label="Set to" />
                      <Radio value="clear" label="Not in use" />
                    </RadioGroup>
                  </Field>
                  {form.supportAction === 'set' && (
                    <Field label="On support" {...fieldProps('support')}>
                      <Dropdown
                        multiselect
                        value={form.support.map(nameOf).join(', ') || 'Nobody'}
                        selectedOptions={form.support}
                        onOptionSelect={(_, d) => setForm({ ...form, support: d.selectedOptions })}
                      >
                        {list.map((p) => (
                          <Option key={p.email} value={p.email ?? ''} text={p.name}>
                            {p.name}
                          </Option>
                        ))}
                      </Dropdown>
                    </Field>
                  )}
                </>
              ) : (
                <>
                  {problem?.field === 'pattern' && (
                    <MessageBar intent="error" role="alert">
                      <MessageBarBody>{problem.message}</MessageBarBody>
                    </MessageBar>
                  )}
                  {PATTERN_DAYS.map((day) => {
                    const p = patternDay(day);
                    return (
                      <fieldset key={day} className={styles.day} style={{ border: 0, padding: 0, margin: 0 }}>
                        <legend style={{ fontWeight: 600 }}>{DAY_NAMES[day]}</legend>
                        <Field label={`${DAY_NAMES[day]}: Operations Lead`} {...fieldProps(`pattern.${day}.lead`)}>
                          <Dropdown value={p.lead ? nameOf(p.lead) : 'Leave as it is'} selectedOptions={[p.lead || KEEP]} onOptionSelect={(_, d) => setPattern(day, { ...p, lead: d.optionValue === KEEP ? '' : (d.optionValue ?? '') })}>
                            <Option value={KEEP}>Leave as it is</Option>
                            {list.map((x) => (
                              <Option key={x.email} value={x.email ?? ''} text={x.name}>
                                {x.name}
                              </Option>
                            ))}
                          </Dropdown>
                        </Field>
                        <Field label={`${DAY_NAMES[day]}: on support`} {...fieldProps(`pattern.${day}.support`)}>
                          <Dropdown multiselect value={p.support.map(nameOf).join(', ') || 'Leave as it is'} selectedOptions={p.support} onOptionSelect={(_, d) => setPattern(day, { ...p, support: d.selectedOptions })}>
                            {list.map((x) => (
                              <Option key={x.email} value={x.email ?? ''} text={x.name}>
                                {x.name}
                              </Option>
                            ))}
                          </Dropdown>
                        </Field>
                      </fieldset>
                    );
                  })}
                </>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={onClose}>
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={busy}>
                {busy ? 'Saving…' : 'Save'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
