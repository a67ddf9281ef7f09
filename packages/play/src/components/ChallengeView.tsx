import type { PublicChallenge } from '@flagstage/plugin-contest-common';
import { href, navigate } from '../lib/router';
import { Hints } from './Hints';
import { InstancePanel } from './InstancePanel';
import { Markdown } from './Markdown';
import { SubmitFlag } from './SubmitFlag';
import { LockIcon } from './LockIcon';

/** One challenge: description, attachments, hints, instance, flag form. */
export function ChallengeView(props: {
  challenge: PublicChallenge | undefined;
  all: PublicChallenge[];
  onChanged: () => void;
}) {
  const c = props.challenge;
  const back = (
    <a
      href={href('/')}
      className="back"
      onClick={e => {
        e.preventDefault();
        navigate('/');
      }}
    >
      ← All challenges
    </a>
  );
  if (!c) {
    return (
      <section className="card">
        {back}
        <h1>Challenge not found</h1>
        <p>This challenge does not exist or is not open yet.</p>
      </section>
    );
  }
  const requires = c.requires.map(
    r => props.all.find(x => x.name === r)?.title ?? r,
  );
  return (
    <article aria-labelledby="challenge-title">
      {back}
      <header className="challenge-head">
        <h1 id="challenge-title">{c.title}</h1>
        <p className="muted">
          {c.category}
          {c.difficulty ? ` · ${c.difficulty}` : ''} ·{' '}
          <strong>{c.value} points</strong> · {c.solves}{' '}
          {c.solves === 1 ? 'solve' : 'solves'}
          {c.solved && <span className="badge ok"> ✓ Solved</span>}
        </p>
      </header>
      {c.locked ? (
        <p className="card banner" role="note">
          <LockIcon /> Locked. Solve {requires.join(', ')} to unlock this
          challenge.
        </p>
      ) : (
        <>
          <section className="card">
            <Markdown text={c.description} />
            {c.attachments.length > 0 && (
              <>
                <h2>Attachments</h2>
                <ul>
                  {c.attachments.map(a => (
                    <li key={a.name}>
                      {a.url ? (
                        <a href={a.url} download rel="noopener noreferrer">
                          {a.name}
                        </a>
                      ) : (
                        a.name
                      )}
                      {a.sha256 && (
                        <span className="muted small"> sha256 {a.sha256}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {c.type === 'instanced' && <InstancePanel challenge={c.name} />}
          <SubmitFlag
            challenge={c.name}
            solved={c.solved}
            onSolved={props.onChanged}
          />
          <Hints
            challenge={c.name}
            hints={c.hints}
            onUnlocked={props.onChanged}
          />
        </>
      )}
    </article>
  );
}
