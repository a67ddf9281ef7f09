import { useState, type FormEvent } from 'react';
import type {
  ContestantMe,
  PublicContest,
} from '@flagstage/plugin-contest-common';
import { api, messageOf } from '../lib/api';
import { CopyButton } from './CopyButton';
import { ErrorText } from './ErrorText';

/** Create or join a team; or, in a team, its invite code and leaving it. */
export function TeamPanel(props: {
  me: ContestantMe;
  contest: PublicContest;
  onChanged: () => void;
}) {
  const { me, contest } = props;
  const [name, setName] = useState('');
  const [division, setDivision] = useState(contest.divisions[0] ?? '');
  const [invite, setInvite] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      props.onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (me.team) {
    const team = me.team;
    return (
      <section className="card narrow" aria-labelledby="team-title">
        <h1 id="team-title">Team {team.name}</h1>
        {team.banned && (
          <p className="banner danger" role="alert">
            This team is banned from the contest.
          </p>
        )}
        <dl className="facts">
          <dt>Members</dt>
          <dd>
            {team.members} of {contest.teamSizeLimit}
          </dd>
          {team.division && (
            <>
              <dt>Division</dt>
              <dd>{team.division}</dd>
            </>
          )}
          <dt>Invite code</dt>
          <dd>
            <code className="invite" data-testid="invite-code">
              {team.inviteCode}
            </code>{' '}
            <CopyButton text={team.inviteCode} label="Copy invite code" />
          </dd>
        </dl>
        <p className="help">
          Teammates join with this code after creating their own account.
        </p>
        <ErrorText message={error} />
        {!confirmLeave ? (
          <button
            type="button"
            className="secondary"
            onClick={() => setConfirmLeave(true)}
          >
            Leave team
          </button>
        ) : (
          <div className="confirm" role="group" aria-label="Confirm leaving">
            <p>Leave {team.name}? You can join another team afterwards.</p>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() =>
                run(async () => {
                  await api.leaveTeam();
                  setConfirmLeave(false);
                })
              }
            >
              Yes, leave
            </button>{' '}
            <button
              type="button"
              className="secondary"
              onClick={() => setConfirmLeave(false)}
            >
              Cancel
            </button>
          </div>
        )}
      </section>
    );
  }

  const create = (e: FormEvent) => {
    e.preventDefault();
    run(() =>
      api.createTeam({
        name,
        ...(contest.divisions.length > 0 ? { division } : {}),
      }),
    );
  };
  const join = (e: FormEvent) => {
    e.preventDefault();
    run(() => api.joinTeam(invite.trim()));
  };
  return (
    <section className="card narrow" aria-labelledby="team-title">
      <h1 id="team-title">Join the contest with a team</h1>
      <p className="muted">
        You play as a team of up to {contest.teamSizeLimit}. Create one, or join
        with the invite code a teammate gives you.
      </p>
      <ErrorText message={error} />
      <form onSubmit={create} className="stack" aria-labelledby="create-title">
        <h2 id="create-title">Create a team</h2>
        <label>
          Team name
          <input
            name="teamName"
            required
            minLength={2}
            maxLength={64}
            value={name}
            onChange={e => setName(e.target.value)}
          />
        </label>
        {contest.divisions.length > 0 && (
          <label>
            Division
            <select
              value={division}
              onChange={e => setDivision(e.target.value)}
            >
              {contest.divisions.map(d => (
                <option key={d}>{d}</option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" disabled={busy}>
          Create team
        </button>
      </form>
      <form onSubmit={join} className="stack" aria-labelledby="join-title">
        <h2 id="join-title">Join a team</h2>
        <label>
          Invite code
          <input
            name="inviteCode"
            required
            minLength={8}
            maxLength={64}
            autoComplete="off"
            value={invite}
            onChange={e => setInvite(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Join team
        </button>
      </form>
    </section>
  );
}
