import { useState } from 'react';
import type { PublicHint } from '@flagstage/plugin-contest-common';
import { api, messageOf } from '../lib/api';
import { ErrorText } from './ErrorText';
import { Markdown } from './Markdown';

/** Hints: unlocked ones shown; the others unlock after a confirmation naming the cost. */
export function Hints(props: {
  challenge: string;
  hints: PublicHint[];
  onUnlocked: () => void;
}) {
  const [asking, setAsking] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (props.hints.length === 0) return null;

  const unlock = async (index: number) => {
    setBusy(true);
    setError(null);
    try {
      await api.unlockHint(props.challenge, index);
      setAsking(null);
      props.onUnlocked();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="hints-title">
      <h2 id="hints-title">Hints</h2>
      <ErrorText message={error} />
      <ul className="hints">
        {props.hints.map(h => (
          <li key={h.index}>
            <h3>{h.title}</h3>
            {h.content !== null && <Markdown text={h.content} />}
            {h.content === null && asking === h.index && (
              <div
                className="confirm"
                role="group"
                aria-label={`Confirm unlocking ${h.title}`}
              >
                <p>
                  {h.cost > 0
                    ? `Unlocking this hint costs your team ${h.cost} points, once. Unlock it?`
                    : 'This hint is free. Unlock it?'}
                </p>
                <button
                  type="button"
                  disabled={busy}
                  onClick={() => unlock(h.index)}
                >
                  {h.cost > 0 ? `Unlock for ${h.cost} points` : 'Unlock'}
                </button>{' '}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setAsking(null)}
                >
                  Cancel
                </button>
              </div>
            )}
            {h.content === null && asking !== h.index && (
              <button
                type="button"
                className="secondary"
                onClick={() => setAsking(h.index)}
              >
                Unlock hint ({h.cost > 0 ? `${h.cost} points` : 'free'})
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
