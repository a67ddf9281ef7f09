import { useCallback, useEffect, useRef, useState } from 'react';

/** The backend's message of a failed request (ResponseError), or the error's own. */
export function errorText(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e?.cause?.message || e?.message || String(error);
}

/** HTTP status of a failed request, when there was one. */
export function errorStatus(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0
    ? `${value} B`
    : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * Loads `load()` now, whenever `key` changes, and every `intervalMs` when
 * given. Answers to superseded requests are dropped; on a failed refresh
 * the last value stays, with the error next to it.
 */
export function usePolling<T>(
  load: () => Promise<T>,
  key: string,
  intervalMs?: number,
) {
  const [state, setState] = useState<{
    value?: T;
    error?: unknown;
    loading: boolean;
    at?: Date;
  }>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const latest = useRef(0);
  const mounted = useRef(true);

  const refresh = useCallback(async () => {
    const id = ++latest.current;
    try {
      const value = await loadRef.current();
      if (mounted.current && id === latest.current) {
        setState({ value, loading: false, at: new Date() });
      }
    } catch (error) {
      if (mounted.current && id === latest.current) {
        setState(s => ({ ...s, error, loading: false }));
      }
    }
  }, []);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    refresh();
    if (!intervalMs) return undefined;
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [key, intervalMs, refresh]);

  return { ...state, refresh };
}
