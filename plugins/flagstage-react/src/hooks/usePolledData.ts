import { useCallback, useEffect, useRef, type DependencyList } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';

/** What {@link usePolledData} returns. @public */
export type PolledData<T> = {
  /** The last value loaded; it stays through a failed refresh. */
  value?: T;
  /** When `value` was loaded. */
  at?: Date;
  /** The last load's error; cleared by the next successful load. */
  error?: Error;
  /** A load is under way (the first one, or a refresh). */
  loading: boolean;
  /** Loads again now (or, when a load is under way, right after it); resolves when done. */
  refresh: () => Promise<void>;
};

/**
 * Loads `load()` now, whenever `deps` change, and every `intervalMs` when
 * given: react-use's `useAsyncRetry` with `useInterval`, as Backstage's
 * Kubernetes plugin polls. Answers to superseded loads are dropped; an
 * interval tick during a load is skipped. Unlike plain `useAsyncRetry`, a
 * failed refresh keeps the last value (a table does not blank out when one
 * poll fails), with the error next to it.
 *
 * @public
 */
export function usePolledData<T>(
  load: () => Promise<T>,
  deps: DependencyList,
  intervalMs?: number,
): PolledData<T> {
  // Callers may await a refresh: it resolves once the load it started (or
  // the next one) has finished.
  const waiting = useRef<Array<() => void>>([]);
  const state = useAsyncRetry(async () => {
    const waiters = waiting.current;
    waiting.current = [];
    try {
      return { value: await load(), at: new Date() };
    } finally {
      waiters.forEach(resolve => resolve());
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps
  }, deps);
  const last = useRef(state.value);
  if (state.value) last.current = state.value;

  const { loading, retry } = state;
  // A refresh asked for during a load (after a change the user made) must
  // not be lost: useAsyncRetry ignores retries while loading.
  const queued = useRef(false);
  const refresh = useCallback(
    () =>
      new Promise<void>(resolve => {
        waiting.current.push(resolve);
        if (loading) queued.current = true;
        else retry();
      }),
    [loading, retry],
  );
  useEffect(() => {
    if (!loading && queued.current) {
      queued.current = false;
      retry();
    }
  }, [loading, retry]);

  useInterval(retry, intervalMs ? intervalMs : null);

  return {
    value: last.current?.value,
    at: last.current?.at,
    error: state.error,
    loading,
    refresh,
  };
}
