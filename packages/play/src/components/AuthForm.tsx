import { useState, type FormEvent } from 'react';
import type { PublicContest } from '@flagstage/plugin-contest-common';
import { api, messageOf } from '../lib/api';
import { ErrorText } from './ErrorText';

/** Register or sign in to a contest. */
export function AuthForm(props: {
  contest: PublicContest;
  onSignedIn: () => void;
}) {
  const { contest } = props;
  const [mode, setMode] = useState<'register' | 'login'>('register');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'register') {
        await api.register(contest.slug, {
          username,
          password,
          ...(contest.registration === 'invite'
            ? { registrationCode: code }
            : {}),
        });
      } else {
        await api.login(contest.slug, { username, password });
      }
      props.onSignedIn();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const registering = mode === 'register';
  return (
    <section className="card narrow" aria-labelledby="auth-title">
      <h1 id="auth-title">{registering ? 'Create an account' : 'Sign in'}</h1>
      <p className="muted">
        {contest.name}
        {registering && contest.registration === 'closed'
          ? ' — registration is closed; sign in if you have an account.'
          : ''}
      </p>
      <div className="tabs" role="group" aria-label="Account">
        <button
          type="button"
          className={registering ? 'tab active' : 'tab'}
          aria-pressed={registering}
          onClick={() => setMode('register')}
        >
          Register
        </button>
        <button
          type="button"
          className={!registering ? 'tab active' : 'tab'}
          aria-pressed={!registering}
          onClick={() => setMode('login')}
        >
          Sign in
        </button>
      </div>
      <form onSubmit={submit} className="stack">
        <label>
          Username
          <input
            name="username"
            autoComplete="username"
            required
            minLength={3}
            maxLength={32}
            pattern="[A-Za-z0-9_.\-]{3,32}"
            title="3–32 letters, digits, _ . -"
            value={username}
            onChange={e => setUsername(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={registering ? 'new-password' : 'current-password'}
            required
            minLength={registering ? 10 : 1}
            maxLength={200}
            value={password}
            onChange={e => setPassword(e.target.value)}
            aria-describedby={registering ? 'password-help' : undefined}
          />
        </label>
        {registering && (
          <p id="password-help" className="help">
            At least 10 characters; a few words make a good one.
          </p>
        )}
        {registering && contest.registration === 'invite' && (
          <label>
            Registration code
            <input
              name="registrationCode"
              required
              value={code}
              onChange={e => setCode(e.target.value)}
            />
          </label>
        )}
        <ErrorText message={error} />
        <button type="submit" disabled={busy}>
          {registering ? 'Create account' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
