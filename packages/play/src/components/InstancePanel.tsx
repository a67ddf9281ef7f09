import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PublicInstance } from '@flagstage/plugin-contest-common';
import type { InstanceState } from '@flagstage/plugin-deployment-common';
import { api, messageOf } from '../lib/api';
import { formatDuration, formatTime, useNow } from '../lib/hooks';
import { keys } from '../lib/queries';
import { CopyButton } from './CopyButton';
import { ErrorText } from './ErrorText';

const PENDING: InstanceState[] = [
  'REQUESTED',
  'QUEUED',
  'DEPLOYING',
  'STOPPING',
];

/** What to say when no instance is active (none yet, failed or expired). */
function endedText(instance: PublicInstance | null): string {
  if (instance?.state === 'FAILED') {
    const why = instance.failureReason ? `: ${instance.failureReason}` : '';
    return `The last instance failed to start${why}. Start a new one.`;
  }
  if (instance?.state === 'EXPIRED')
    return 'The last instance expired. Start a new one when you need it.';
  return 'No instance is running for your team.';
}

const STATE_TEXT: Record<InstanceState, string> = {
  REQUESTED: 'Requested: waiting for a slot…',
  QUEUED: 'Queued: your instance is next in line…',
  DEPLOYING: 'Deploying: starting your instance…',
  RUNNING: 'Running',
  STOPPING: 'Stopping…',
  STOPPED: 'Stopped',
  FAILED: 'Failed to start',
  EXPIRED: 'Expired',
};

/**
 * The team's instance of a challenge: start, stop, extend; the state polled
 * while it moves (every 1.5 s) and while it runs (every 10 s); a countdown to
 * expiry; how to reach it.
 */
export function InstancePanel({ challenge }: { challenge: string }) {
  const queryClient = useQueryClient();
  const key = keys.instance(challenge);
  const query = useQuery({
    queryKey: key,
    queryFn: () => api.instance(challenge),
    // Poll fast while the state moves, slowly while running (expiry, stop elsewhere).
    refetchInterval: q => {
      const state = q.state.data?.state;
      if (state && PENDING.includes(state)) return 1500;
      return state === 'RUNNING' ? 10000 : false;
    },
  });
  const action = useMutation({
    mutationFn: (run: () => Promise<PublicInstance>) => run(),
    onSuccess: updated => queryClient.setQueryData(key, updated),
    onError: () => query.refetch(),
  });
  const act = (run: () => Promise<PublicInstance>) => action.mutate(run);
  const instance = query.data;
  const state = instance?.state;
  const failed = action.error ?? query.error;
  const error = failed ? messageOf(failed) : null;
  const busy = action.isPending;
  const now = useNow();

  const active =
    instance && !['STOPPED', 'FAILED', 'EXPIRED'].includes(instance.state);
  const expiresIn = instance?.expiresAt
    ? Date.parse(instance.expiresAt) - now
    : null;
  const extendFrom = instance?.extendableFrom
    ? Date.parse(instance.extendableFrom)
    : null;
  const access = instance?.state === 'RUNNING' ? instance.access : null;

  return (
    <section className="card" aria-labelledby="instance-title">
      <h2 id="instance-title">Your instance</h2>
      {instance === undefined && !error && <p className="muted">Loading…</p>}
      {instance !== undefined && (
        <p
          role="status"
          aria-live="polite"
          className="instance-state"
          data-state={state ?? 'NONE'}
        >
          {instance === null || !active ? (
            endedText(instance)
          ) : (
            <>
              <span
                className={`dot ${state?.toLowerCase()}`}
                aria-hidden="true"
              />
              {STATE_TEXT[instance.state]}
            </>
          )}
        </p>
      )}
      {active && instance?.state === 'RUNNING' && expiresIn !== null && (
        <p>
          Expires in{' '}
          <strong className="countdown">{formatDuration(expiresIn)}</strong>
          {instance.expiresAt && (
            <span className="muted">
              {' '}
              (at {formatTime(instance.expiresAt)})
            </span>
          )}
        </p>
      )}
      {access?.protocol === 'http' && (
        <div className="access">
          <a
            className="button"
            href={access.url}
            target="_blank"
            rel="noopener noreferrer"
          >
            Open instance ↗
          </a>{' '}
          <CopyButton text={access.url} label="Copy instance link" />
        </div>
      )}
      {access?.protocol === 'tcp' && (
        <div className="access stack">
          <label className="code-label">
            Connect with netcat
            <code className="command">{access.command}</code>
          </label>
          <CopyButton text={access.command} label="Copy nc command" />
          <label className="code-label">
            Or over WebSocket
            <code className="command">{access.websocketCommand}</code>
          </label>
          <CopyButton
            text={access.websocketCommand}
            label="Copy websocat command"
          />
        </div>
      )}
      <ErrorText message={error} />
      <div className="row">
        {!active && (
          <button
            type="button"
            disabled={busy || instance === undefined}
            onClick={() => act(() => api.startInstance(challenge))}
          >
            Start instance
          </button>
        )}
        {active && (
          <button
            type="button"
            className="secondary"
            disabled={busy || state === 'STOPPING'}
            onClick={() => act(() => api.stopInstance(challenge))}
          >
            Stop instance
          </button>
        )}
        {active && state === 'RUNNING' && (
          <button
            type="button"
            className="secondary"
            disabled={busy || (extendFrom !== null && now < extendFrom)}
            aria-describedby="extend-help"
            onClick={() => act(() => api.extendInstance(challenge))}
          >
            Extend
          </button>
        )}
      </div>
      {active &&
        state === 'RUNNING' &&
        extendFrom !== null &&
        now < extendFrom && (
          <p id="extend-help" className="help">
            Extending opens in {formatDuration(extendFrom - now)}.
          </p>
        )}
    </section>
  );
}
