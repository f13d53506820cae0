import type { ReactNode } from 'react';
import { Badge, Body1, Caption1, Link, MessageBar, MessageBarBody, ProgressBar, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import type { PeopleResponse, PersonLoad } from '../api/contract.js';
import { useResource } from '../api/use-resource.js';
import { ResourceView } from '../components/resource-view.js';
import { formatDay, plural, workingDays } from '../logic/format.js';

const useStyles = makeStyles({
  head: { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'baseline', marginBottom: '12px' },
  scroll: { overflowX: 'auto' },
  table: { minWidth: '720px', backgroundColor: tokens.colorNeutralBackground1 },
  load: { display: 'flex', flexDirection: 'column', gap: '4px', minWidth: '120px' },
  tickets: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '2px' },
  cell: { verticalAlign: 'top', paddingBlock: '6px' },
});

function supportText(p: PersonLoad, day: string): ReactNode {
  if (p.onSupportNextWorkingDay === null) return <Caption1>Support rota not set for {formatDay(day)}</Caption1>;
  return p.onSupportNextWorkingDay ? (
    <Badge appearance="tint" color="success">
      On support {formatDay(day)}
    </Badge>
  ) : (
    <Badge appearance="tint" color={p.owned > 0 ? 'important' : 'subtle'}>
      Not on support {formatDay(day)}
    </Badge>
  );
}

/** Each developer's load against the limit, days owned, updates due today, and whether they are on support next working day. */
export function PeopleView(): ReactNode {
  const styles = useStyles();
  const people = useResource<PeopleResponse>('/people', ['ticket', 'rota', 'settings']);
  return (
    <ResourceView resource={people} what="people">
      {(data) => (
        <>
          <div className={styles.head}>
            <Title3 as="h2">People</Title3>
            <Body1>
              The guideline is at most {plural(data.maxOwnedTickets, 'ticket')} each, an update to each user every day, and anything longer than{' '}
              {plural(data.longWorkDays, 'working day')} raised with the Operations Lead.
            </Body1>
          </div>
          {data.people.length === 0 ? (
            <MessageBar intent="info">
              <MessageBarBody>Nobody owns a ticket, and the app knows no team members yet.</MessageBarBody>
            </MessageBar>
          ) : (
            <div className={styles.scroll}>
              <Table className={styles.table} aria-label="People and their load" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>Person</TableHeaderCell>
                    <TableHeaderCell style={{ width: '170px' }}>Load</TableHeaderCell>
                    <TableHeaderCell>Tickets (days owned)</TableHeaderCell>
                    <TableHeaderCell style={{ width: '130px' }}>Updates due today</TableHeaderCell>
                    <TableHeaderCell style={{ width: '190px' }}>Next working day</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {data.people.map((p) => (
                    <TableRow key={p.email ?? p.analyst?.key ?? p.name} data-person={p.email ?? p.name}>
                      <TableCell className={styles.cell}>
                        <Text weight="semibold">{p.name}</Text>
                        <br />
                        <Caption1>{!p.known ? 'Assigned in LGD; not known to the app' : p.analyst ? `LGD: ${p.analyst.title}` : 'Not linked to LGD'}</Caption1>
                        {p.leadNextWorkingDay && (
                          <>
                            <br />
                            <Badge appearance="tint" color="brand">
                              Operations Lead {formatDay(data.nextWorkingDay)}
                            </Badge>
                          </>
                        )}
                      </TableCell>
                      <TableCell className={styles.cell}>
                        <div className={styles.load}>
                          <Text>
                            {p.owned} of {data.maxOwnedTickets}
                            {p.overLimit ? ': over the limit' : ''}
                          </Text>
                          <ProgressBar
                            value={Math.min(p.owned, data.maxOwnedTickets)}
                            max={data.maxOwnedTickets}
                            color={p.overLimit ? 'error' : p.owned === data.maxOwnedTickets ? 'warning' : 'brand'}
                            aria-label={`${p.name} owns ${p.owned} of ${data.maxOwnedTickets}`}
                          />
                        </div>
                      </TableCell>
                      <TableCell className={styles.cell}>
                        {p.tickets.length === 0 ? (
                          <Caption1>None</Caption1>
                        ) : (
                          <ul className={styles.tickets}>
                            {p.tickets.map((t) => (
                              <li key={t.key}>
                                <Link href={t.link} target="_blank" rel="noopener noreferrer">
                                  LGD {t.number}
                                </Link>{' '}
                                {t.title} · {workingDays(t.ownedWorkingDays)}
                                {t.ownedWorkingDays > data.longWorkDays ? ' (long)' : ''}
                                {!t.userUpdatedToday ? ' · no update today' : ''}
                              </li>
                            ))}
                          </ul>
                        )}
                      </TableCell>
                      <TableCell className={styles.cell}>
                        {p.updatesDueToday > 0 ? (
                          <Badge appearance="tint" color="warning">
                            {plural(p.updatesDueToday, 'update')} due
                          </Badge>
                        ) : (
                          <Caption1>None</Caption1>
                        )}
                      </TableCell>
                      <TableCell className={styles.cell}>{supportText(p, data.nextWorkingDay)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </>
      )}
    </ResourceView>
  );
}
