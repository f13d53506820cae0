import { useEffect, useState, type ReactNode } from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { Resource } from '../api/use-resource.js';

interface Props<T> {
  resource: Resource<T>;
  /** What is loading, for the sentences: "the queue". */
  what: string;
  children: (data: T) => ReactNode;
}

function secondsUntil(at: number | null, now: number): number | null {
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * The loading, failure and stale states of a view's data, the same everywhere: a spinner until the
 * first answer; a failure with no data says so and offers a retry; a failure after data keeps the
 * data, says since when it is shown and when the next try is.
 */
export function ResourceView<T>({ resource, what, children }: Props<T>): ReactNode {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (resource.retryAt === null) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [resource.retryAt]);

  const { data, error, loading } = resource;
  const retryIn = secondsUntil(resource.retryAt, now);
  if (data === null && loading) return <Spinner label={`Loading ${what}…`} />;
  const problem = error && (
    <MessageBar intent={data === null ? 'error' : 'warning'} role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{data === null ? `Could not load ${what}.` : `Could not refresh ${what}.`}</MessageBarTitle>
        {error.message}
        {data !== null && resource.updatedAt && ` Showing what the server last sent at ${resource.updatedAt.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}.`}
        {retryIn !== null && ` Trying again in ${retryIn} s.`}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={resource.reload}>Try now</Button>
      </MessageBarActions>
    </MessageBar>
  );
  return (
    <>
      {problem}
      {data !== null && children(data)}
    </>
  );
}
