import { useCallback, useEffect, useRef, useState } from 'react';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  Box,
  Button,
  FormControlLabel,
  Link,
  MenuItem,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { observabilityApiRef, type LogItem, type LogSearchQuery } from '../api';
import { errorText } from '@flagstage/plugin-flagstage-react';
import { grafanaExploreUrl, nsToIso } from './grafanaExploreUrl';

/** The filter fields of the form. @public */
export type LogsFilter = {
  team?: string;
  challenge?: string;
  instance?: string;
  contains?: string;
};

/** Props of {@link LogsViewer}. @public */
export type LogsViewerProps = {
  /** The form's first values; a search runs at once when one of team, challenge, instance is set. */
  initialFilter?: LogsFilter;
  /** Fields shown read-only (the entity's challenge, the page's instance). */
  fixed?: Array<'team' | 'challenge' | 'instance'>;
  /** Live tail polling interval. Default 2000 ms. */
  pollMs?: number;
};

/** The time ranges the form offers, in ms. */
export const RANGES: { label: string; ms: number }[] = [
  { label: 'Last 15 minutes', ms: 15 * 60_000 },
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
];
const TAIL_LIMIT = 1000;
/** Lines kept on screen while tailing; the oldest go first. */
const MAX_SHOWN = 5000;
const WEEK_MS = 7 * 24 * 3_600_000;

type Search = { filter: LogsFilter; startMs: number; endMs: number };

const hasScope = (f: LogsFilter) =>
  Boolean(f.team?.trim() || f.challenge?.trim() || f.instance?.trim());

function toQuery(search: Search): LogSearchQuery {
  const { team, challenge, instance, contains } = search.filter;
  return {
    team,
    challenge,
    instance,
    contains,
    start: new Date(search.startMs).toISOString(),
    end: new Date(search.endMs).toISOString(),
  };
}

/** The labels worth showing for a line: where it came from. */
function source(labels: Record<string, string>): string {
  return [labels.namespace, labels.pod, labels.container]
    .filter(Boolean)
    .join(' / ');
}

/**
 * Log search over Loki: a form (team, challenge, instance, contains, time
 * range), the lines newest first with "Load older" paging, a live tail that
 * polls for newer lines every 2 s from the newest one shown, and an "Open in
 * Grafana" link with the same LogQL when `observability.grafanaUrl` is set.
 *
 * @public
 */
export function LogsViewer(props: LogsViewerProps) {
  const { initialFilter = {}, fixed = [], pollMs = 2000 } = props;
  const api = useApi(observabilityApiRef);
  const config = useApi(configApiRef);
  const grafanaUrl = config.getOptionalString('observability.grafanaUrl');
  const grafanaDatasource = config.getOptionalString(
    'observability.grafanaLokiDatasource',
  );

  const [form, setForm] = useState<LogsFilter>(initialFilter);
  const [rangeMs, setRangeMs] = useState(RANGES[1].ms);
  const [search, setSearch] = useState<Search>();
  const [items, setItems] = useState<LogItem[]>([]);
  const [logQL, setLogQL] = useState<string>();
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error>();
  const [tail, setTail] = useState(false);
  /** The newest timestamp shown: where the live tail continues from. */
  const newest = useRef<string | undefined>(undefined);

  const run = useCallback(
    async (next: Search) => {
      setLoading(true);
      setError(undefined);
      setSearch(next);
      try {
        const page = await api.searchLogs(toQuery(next));
        setItems(page.items);
        setLogQL(page.query);
        setNextCursor(page.nextCursor);
        newest.current = page.items[0]?.timestamp;
      } catch (e) {
        setItems([]);
        setNextCursor(null);
        setError(e as Error);
      } finally {
        setLoading(false);
      }
    },
    [api],
  );

  // The initial filter (an entity's challenge, an instance) searches at once.
  useEffect(() => {
    if (hasScope(initialFilter)) {
      const now = Date.now();
      run({ filter: initialFilter, startMs: now - RANGES[1].ms, endMs: now });
    }
    // Only on mount: later searches come from the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const now = Date.now();
    run({ filter: form, startMs: now - rangeMs, endMs: now });
  };

  const loadOlder = async () => {
    if (!search || !nextCursor) return;
    setLoading(true);
    try {
      const page = await api.searchLogs({
        ...toQuery(search),
        cursor: nextCursor,
      });
      setItems(prev => [...prev, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    if (!tail || !search) return undefined;
    let stopped = false;
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      const now = Date.now();
      const startMs = Math.max(search.startMs, now - WEEK_MS + 60_000);
      const cursor =
        newest.current && BigInt(newest.current) >= BigInt(startMs) * 1_000_000n
          ? newest.current
          : undefined;
      try {
        const page = await api.searchLogs({
          ...toQuery({ ...search, startMs, endMs: now }),
          direction: 'forward',
          limit: TAIL_LIMIT,
          cursor,
        });
        if (stopped) return;
        setError(undefined);
        if (page.items.length > 0) {
          newest.current = page.items[page.items.length - 1].timestamp;
          const newestFirst = [...page.items].reverse();
          setItems(prev => [...newestFirst, ...prev].slice(0, MAX_SHOWN));
        }
      } catch (e) {
        if (!stopped) setError(e as Error);
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(tick, pollMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [tail, search, api, pollMs]);

  const field = (name: keyof LogsFilter, label: string) => (
    <TextField
      label={label}
      value={form[name] ?? ''}
      onChange={e => setForm(f => ({ ...f, [name]: e.target.value }))}
      InputProps={{ readOnly: (fixed as string[]).includes(name) }}
      inputProps={{ 'aria-label': label }}
      size="small"
      variant="outlined"
    />
  );

  const grafanaLink =
    grafanaUrl && logQL && search
      ? grafanaExploreUrl({
          grafanaUrl,
          expr: logQL,
          fromMs: search.startMs,
          toMs: tail ? Date.now() : search.endMs,
          datasource: grafanaDatasource,
        })
      : undefined;

  return (
    <Box>
      <form onSubmit={submit} aria-label="log search">
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
        >
          {field('team', 'Team')}
          {field('challenge', 'Challenge')}
          {field('instance', 'Instance')}
          {field('contains', 'Contains')}
          <TextField
            select
            label="Time range"
            value={rangeMs}
            onChange={e => setRangeMs(Number(e.target.value))}
            size="small"
            variant="outlined"
          >
            {RANGES.map(r => (
              <MenuItem key={r.ms} value={r.ms}>
                {r.label}
              </MenuItem>
            ))}
          </TextField>
          <Button
            type="submit"
            variant="contained"
            color="primary"
            disabled={loading || !hasScope(form)}
          >
            Search
          </Button>
          <FormControlLabel
            control={
              <Switch
                checked={tail}
                onChange={e => setTail(e.target.checked)}
                disabled={!search}
                inputProps={{ 'aria-label': 'Live tail' }}
              />
            }
            label="Live tail"
          />
          {grafanaLink && (
            <Link href={grafanaLink} target="_blank" rel="noopener noreferrer">
              Open in Grafana
            </Link>
          )}
        </Box>
      </form>
      {!hasScope(form) && (
        <Typography variant="body2" color="textSecondary">
          Give a team, a challenge or an instance.
        </Typography>
      )}
      {error && (
        <Box mt={2}>
          <Alert severity="error">{errorText(error)}</Alert>
        </Box>
      )}
      {logQL && (
        <Typography variant="caption" component="p" data-testid="logql">
          {logQL}
        </Typography>
      )}
      {search && !error && items.length === 0 && !loading && (
        <Typography variant="body2">No log lines in this range.</Typography>
      )}
      {items.length > 0 && (
        <Table size="small" aria-label="log lines">
          <TableHead>
            <TableRow>
              <TableCell>Time</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>Line</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((item, i) => (
              <TableRow key={`${item.timestamp}-${i}`}>
                <TableCell style={{ whiteSpace: 'nowrap' }}>
                  {nsToIso(item.timestamp)}
                </TableCell>
                <TableCell>{source(item.labels)}</TableCell>
                <TableCell
                  style={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap' }}
                >
                  {item.line}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {nextCursor && !tail && (
        <Box mt={1}>
          <Button onClick={loadOlder} disabled={loading}>
            Load older
          </Button>
        </Box>
      )}
    </Box>
  );
}
