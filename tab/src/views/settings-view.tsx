import { useState, type ReactNode } from 'react';
import { Button, Caption1, Field, Input, MessageBar, MessageBarBody, Tab, TabList, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ApiFailure } from '../api/api-client.js';
import { LIMITS, type AreasResponse, type DaysOffResponse, type LeadsResponse, type MappingsResponse, type SettingsWriteResponse } from '../api/contract.js';
import { useResource, type Resource } from '../api/use-resource.js';
import { useApp } from '../app-context.js';
import { ResourceView } from '../components/resource-view.js';
import { formatLongDay } from '../logic/format.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'end', marginBlock: '12px' },
  wide: { minWidth: '260px', flexGrow: 1, maxWidth: '480px' },
  table: { backgroundColor: tokens.colorNeutralBackground1 },
  scroll: { overflowX: 'auto' },
  bars: { marginBlock: '8px' },
});

type Section = 'areas' | 'leads' | 'mappings' | 'days-off';
const SECTIONS: Record<Section, string> = { areas: 'Areas', leads: 'Leads', mappings: 'People and LGD', 'days-off': 'Team days off' };

/** One settings change at a time: its sentence or its failure (with the field at fault). */
function useChange<T>(resource: Resource<T>) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string; field?: string } | null>(null);
  const run = async (method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    try {
      const r = await api.send<SettingsWriteResponse<T>>(method, path, body);
      resource.update(() => r.value);
      setResult({ ok: true, text: r.notice.text });
      return true;
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure(0, null, String(err));
      setResult({ ok: false, text: f.message, field: f.body?.field });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, result };
}

function ResultBar({ result }: { result: { ok: boolean; text: string } | null }): ReactNode {
  const styles = useStyles();
  if (!result) return null;
  return (
    <MessageBar className={styles.bars} intent={result.ok ? 'success' : 'error'} role="alert" data-testid="settings-result">
      <MessageBarBody>{result.text}</MessageBarBody>
    </MessageBar>
  );
}

const emails = (s: string): string[] =>
  s
    .split(/[,;\s]+/)
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);

function Areas(): ReactNode {
  const styles = useStyles();
  const areas = useResource<AreasResponse>('/settings/areas', ['settings']);
  const change = useChange(areas);
  const [name, setName] = useState('');
  const [contacts, setContacts] = useState('');
  return (
    <ResourceView resource={areas} what="the areas">
      {(data) => (
        <>
          <ResultBar result={change.result} />
          <form
            className={styles.form}
            onSubmit={(e) => {
              e.preventDefault();
              void change.run('PUT', `/settings/areas/${encodeURIComponent(name.trim())}`, { contacts: emails(contacts) }).then((ok) => {
                if (ok) {
                  setName('');
                  setContacts('');
                }
              });
            }}
          >
            <Field label="Area" required>
              <Input value={name} onChange={(_, d) => setName(d.value.slice(0, LIMITS.area))} />
            </Field>
            <Field label="Contacts (e-mails)" className={styles.wide} hint="The Programme Delivery Manager / Digital Services Architect told of project work.">
              <Input value={contacts} onChange={(_, d) => setContacts(d.value)} />
            </Field>
            <Button type="submit" appearance="primary" disabled={change.busy || !name.trim()}>
              Save area
            </Button>
          </form>
          {data.areas.length === 0 ? (
            <Text>No areas yet. Project decisions still go ahead; nobody is told unless named.</Text>
          ) : (
            <Table className={styles.table} aria-label="Areas" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Area</TableHeaderCell>
                  <TableHeaderCell>Contacts</TableHeaderCell>
                  <TableHeaderCell style={{ width: '180px' }}>Change</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.areas.map((a) => (
                  <TableRow key={a.area}>
                    <TableCell>{a.area}</TableCell>
                    <TableCell>{a.contacts.join(', ') || 'Nobody'}</TableCell>
                    <TableCell>
                      <Button
                        size="small"
                        onClick={() => {
                          setName(a.area);
                          setContacts(a.contacts.join(', '));
                        }}
                        aria-label={`Edit ${a.area}`}
                      >
                        Edit
                      </Button>{' '}
                      <Button size="small" disabled={change.busy} onClick={() => void change.run('DELETE', `/settings/areas/${encodeURIComponent(a.area)}`)} aria-label={`Remove ${a.area}`}>
                        Remove
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </ResourceView>
  );
}

function Leads(): ReactNode {
  const styles = useStyles();
  const leads = useResource<LeadsResponse>('/settings/leads', ['settings']);
  const change = useChange(leads);
  const [email, setEmail] = useState('');
  return (
    <ResourceView resource={leads} what="the leads">
      {(data) => (
        <>
          <ResultBar result={change.result} />
          <form
            className={styles.form}
            onSubmit={(e) => {
              e.preventDefault();
              void change.run('PUT', `/settings/leads/${encodeURIComponent(email.trim().toLowerCase())}`).then((ok) => ok && setEmail(''));
            }}
          >
            <Field label="Add a lead (e-mail)" className={styles.wide} required>
              <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} />
            </Field>
            <Button type="submit" appearance="primary" disabled={change.busy || !email.trim()}>
              Add lead
            </Button>
          </form>
          <Table className={styles.table} aria-label="Leads" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Lead</TableHeaderCell>
                <TableHeaderCell>E-mail</TableHeaderCell>
                <TableHeaderCell style={{ width: '120px' }}>Change</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.leads.map((l) => (
                <TableRow key={l.email ?? l.name}>
                  <TableCell>{l.name}</TableCell>
                  <TableCell>{l.email ?? '–'}</TableCell>
                  <TableCell>
                    <Button size="small" disabled={change.busy || !l.email} onClick={() => void change.run('DELETE', `/settings/leads/${encodeURIComponent(l.email ?? '')}`)} aria-label={`Remove ${l.name} as lead`}>
                      Remove
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </ResourceView>
  );
}

function Mappings(): ReactNode {
  const styles = useStyles();
  const mappings = useResource<MappingsResponse>('/settings/mappings', ['settings']);
  const change = useChange(mappings);
  const [email, setEmail] = useState('');
  const [analyst, setAnalyst] = useState('');
  return (
    <ResourceView resource={mappings} what="the mappings">
      {(data) => (
        <>
          <ResultBar result={change.result} />
          <form
            className={styles.form}
            onSubmit={(e) => {
              e.preventDefault();
              void change.run('PUT', `/settings/mappings/${encodeURIComponent(email.trim().toLowerCase())}`, { analyst: analyst.trim() }).then((ok) => {
                if (ok) {
                  setEmail('');
                  setAnalyst('');
                }
              });
            }}
          >
            <Field label="Person (e-mail)" required>
              <Input type="email" value={email} onChange={(_, d) => setEmail(d.value)} />
            </Field>
            <Field label="LGD login" required>
              <Input value={analyst} onChange={(_, d) => setAnalyst(d.value)} />
            </Field>
            <Button type="submit" appearance="primary" disabled={change.busy || !email.trim() || !analyst.trim()}>
              Map
            </Button>
          </form>
          <div className={styles.scroll}>
            <Table className={styles.table} aria-label="People and their LGD analysts" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Person</TableHeaderCell>
                  <TableHeaderCell>LGD analyst</TableHeaderCell>
                  <TableHeaderCell>How</TableHeaderCell>
                  <TableHeaderCell style={{ width: '140px' }}>Change</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {data.mappings.map((m) => (
                  <TableRow key={m.personId}>
                    <TableCell>
                      {m.name}
                      <br />
                      <Caption1>{m.email ?? ''}</Caption1>
                    </TableCell>
                    <TableCell>{m.analyst ? `${m.analyst.title} (${m.analyst.name})` : 'Not mapped'}</TableCell>
                    <TableCell>{m.mappedBy === 'override' ? 'Set by a lead' : m.mappedBy === 'email' ? 'By e-mail' : m.mappedBy === 'login' ? 'By login name' : '–'}</TableCell>
                    <TableCell>
                      {m.mappedBy === 'override' && m.email && (
                        <Button size="small" disabled={change.busy} onClick={() => void change.run('DELETE', `/settings/mappings/${encodeURIComponent(m.email ?? '')}`)} aria-label={`Clear the mapping of ${m.name}`}>
                          Back to automatic
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </>
      )}
    </ResourceView>
  );
}

function DaysOff(): ReactNode {
  const styles = useStyles();
  const days = useResource<DaysOffResponse>('/settings/days-off', ['settings', 'rota']);
  const change = useChange(days);
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  return (
    <ResourceView resource={days} what="the days off">
      {(data) => (
        <>
          <ResultBar result={change.result} />
          <form
            className={styles.form}
            onSubmit={(e) => {
              e.preventDefault();
              void change.run('PUT', `/settings/days-off/${encodeURIComponent(date)}`, { name: name.trim() }).then((ok) => {
                if (ok) {
                  setDate('');
                  setName('');
                }
              });
            }}
          >
            <Field label="Date" required>
              <Input type="date" value={date} onChange={(_, d) => setDate(d.value)} />
            </Field>
            <Field label="What it is" className={styles.wide} required>
              <Input value={name} onChange={(_, d) => setName(d.value.slice(0, LIMITS.dayOffName))} placeholder="e.g. Team away day" />
            </Field>
            <Button type="submit" appearance="primary" disabled={change.busy || !date || !name.trim()}>
              Add day off
            </Button>
          </form>
          <Table className={styles.table} aria-label="Team days off" size="small">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Day</TableHeaderCell>
                <TableHeaderCell>What</TableHeaderCell>
                <TableHeaderCell style={{ width: '120px' }}>Change</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.daysOff.length === 0 && (
                <TableRow>
                  <TableCell colSpan={3}>No team days off: only weekends and bank holidays.</TableCell>
                </TableRow>
              )}
              {data.daysOff.map((d) => (
                <TableRow key={d.date}>
                  <TableCell>{formatLongDay(d.date)}</TableCell>
                  <TableCell>{d.name}</TableCell>
                  <TableCell>
                    <Button size="small" disabled={change.busy} onClick={() => void change.run('DELETE', `/settings/days-off/${d.date}`)} aria-label={`Remove ${d.name}`}>
                      Remove
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Caption1>Bank holidays are known already: {data.bankHolidays.map((b) => `${b.name} (${formatLongDay(b.date)})`).join('; ') || 'none in this range'}.</Caption1>
        </>
      )}
    </ResourceView>
  );
}

/** Settings, for the team's leads: areas and their contacts, leads, the Teams user ↔ LGD analyst mapping, the team's days off. */
export function SettingsView(): ReactNode {
  const [section, setSection] = useState<Section>('areas');
  return (
    <>
      <Title3 as="h2">Settings</Title3>
      <TabList selectedValue={section} onTabSelect={(_, d) => setSection(d.value as Section)} aria-label="Settings">
        {(Object.keys(SECTIONS) as Section[]).map((s) => (
          <Tab key={s} value={s}>
            {SECTIONS[s]}
          </Tab>
        ))}
      </TabList>
      <section aria-label={SECTIONS[section]} style={{ marginTop: 12 }}>
        {section === 'areas' && <Areas />}
        {section === 'leads' && <Leads />}
        {section === 'mappings' && <Mappings />}
        {section === 'days-off' && <DaysOff />}
      </section>
    </>
  );
}
