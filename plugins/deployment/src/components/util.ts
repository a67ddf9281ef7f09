import { useCallback, useEffect, useRef, useState } from 'react';
import {
  isActiveState,
  type InstanceState,
} from '@flagstage/plugin-deployment-common';

/** How often the list and the queue refresh. */
export const LIST_REFRESH_MS = 5000;
/** How often an active instance's detail and output refresh. */
export const DETAIL_REFRESH_MS = 3000;
/** How often a challenge's builds refresh while one is QUEUED or RUNNING. */
export const BUILD_REFRESH_MS = 5000;
/** Lines of output shown. */
export const OUTPUT_TAIL = 200;

/** The backend's message of a failed request (ResponseError), or the error's own. */
export function errorText(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e?.cause?.message || e?.message || String(error);
}

/** States an operator can stop from (STOPPING is already on its way). */
export function canStopState(state: InstanceState): boolean {
  return isActiveState(state) && state !== 'STOPPING';
}

/** "12:00:05 22/11/2026" in the browser's locale; '' for null. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** "in 25 min", "3 h ago", "in 40 s". */
export function relativeTime(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 60_000) text = `${Math.round(abs / 1000)} s`;
  else if (abs < 3_600_000) text = `${Math.round(abs / 60_000)} min`;
  else if (abs < 86_400_000)
    text = `${(abs / 3_600_000).toFixed(abs < 36_000_000 ? 1 : 0)} h`;
  else text = `${Math.round(abs / 86_400_000)} d`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
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
  }, [key, refresh]);

  useEffect(() => {
    if (!intervalMs) return undefined;
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, refresh]);

  return { ...state, refresh };
}
