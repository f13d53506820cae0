import type { ReactNode } from 'react';
import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import { toCsv } from '../logic/csv.js';
import type { FigureTable as Figure } from '../logic/insights-table.js';

const useStyles = makeStyles({
  scroll: { overflowX: 'auto' },
  table: { backgroundColor: tokens.colorNeutralBackground1, minWidth: '480px' },
  actions: { marginBlock: '6px' },
});

/** Saves text as a file through a temporary link (no server round trip). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A chart's numbers as a table, with "Export CSV". */
export function FigureTable({ figure }: { figure: Figure }): ReactNode {
  const styles = useStyles();
  return (
    <>
      <div className={styles.scroll}>
        <Table className={styles.table} size="extra-small" aria-label={`${figure.title}: numbers`}>
          <TableHeader>
            <TableRow>
              {figure.headers.map((h) => (
                <TableHeaderCell key={h}>{h}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {figure.rows.map((r, i) => (
              <TableRow key={i}>
                {r.map((c, j) => (
                  <TableCell key={j}>{c === null || c === undefined ? '–' : String(c)}</TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <div className={styles.actions}>
        <Button size="small" onClick={() => download(`lgd-support-${figure.id}.csv`, toCsv(figure.headers, figure.rows))} aria-label={`Export CSV: ${figure.title}`}>
          Export CSV
        </Button>
      </div>
    </>
  );
}
