import { useState, type FormEvent } from 'react';
import { api, ApiError, messageOf } from '../lib/api';
import { formatDuration, useNow } from '../lib/hooks';

type Feedback =
  | { kind: 'correct' | 'already' | 'incorrect' }
  | { kind: 'error'; message: string };

/** The flag form with feedback: correct, incorrect, rate-limited, not open. */
export function SubmitFlag(props: {
  challenge: string;
  solved: boolean;
  onSolved: () => void;
}) {
  const [flag, setFlag] = useState('');
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  const [busy, setBusy] = useState(false);
  const [waitUntil, setWaitUntil] = useState(0);
  const now = useNow();
  const waiting = waitUntil > now;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFeedback(null);
    try {
      const result = await api.submit(props.challenge, flag.trim());
      if (result.correct) {
        setFeedback({ kind: result.alreadySolved ? 'already' : 'correct' });
        setFlag('');
        props.onSolved();
      } else {
        setFeedback({ kind: 'incorrect' });
      }
    } catch (err) {
      if (err instanceof ApiError && err.status === 429 && err.retryAfter) {
        setWaitUntil(Date.now() + err.retryAfter * 1000);
      }
      setFeedback({ kind: 'error', message: messageOf(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      className="card stack"
      aria-labelledby="submit-title"
    >
      <h2 id="submit-title">Submit a flag</h2>
      {props.solved && (
        <p className="ok-text">Your team has solved this challenge.</p>
      )}
      <label>
        Flag
        <input
          name="flag"
          required
          maxLength={1024}
          autoComplete="off"
          spellCheck={false}
          placeholder="flagstage{…}"
          value={flag}
          onChange={e => setFlag(e.target.value)}
        />
      </label>
      <button type="submit" disabled={busy || waiting}>
        {waiting ? `Wait ${formatDuration(waitUntil - now)}` : 'Submit'}
      </button>
      <div aria-live="polite">
        {feedback?.kind === 'correct' && (
          <p className="feedback ok" role="status">
            Correct! The points are your team’s.
          </p>
        )}
        {feedback?.kind === 'already' && (
          <p className="feedback ok" role="status">
            Correct — your team had already solved this one.
          </p>
        )}
        {feedback?.kind === 'incorrect' && (
          <p className="feedback bad" role="status">
            Incorrect flag. Check it and try again.
          </p>
        )}
        {feedback?.kind === 'error' && (
          <p className="feedback bad" role="alert">
            {feedback.message}
          </p>
        )}
      </div>
    </form>
  );
}
