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

function pad(n: number) {
  return String(n).padStart(2, '0');
}

/** ISO time → the value of a `datetime-local` input, in the browser's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(
    d.getHours(),
  )}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (browser's time zone) → ISO time; '' → undefined. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** ISO time for people; '' for none. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Where a contest is in its window, at `now`. */
export function contestPhase(
  contest: { startsAt: string; endsAt: string; freezeAt: string | null },
  now = new Date(),
): 'upcoming' | 'running' | 'frozen' | 'ended' {
  const t = now.getTime();
  if (t < Date.parse(contest.startsAt)) return 'upcoming';
  if (t >= Date.parse(contest.endsAt)) return 'ended';
  if (contest.freezeAt && t >= Date.parse(contest.freezeAt)) return 'frozen';
  return 'running';
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
    setState(s => ({ ...s, loading: true }));
    refresh();
    if (!intervalMs) return undefined;
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [key, intervalMs, refresh]);

  return { ...state, refresh };
}
