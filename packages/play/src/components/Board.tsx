import type { PublicChallenge } from '@flagstage/plugin-contest-common';
import { href, navigate } from '../lib/router';
import { LockIcon } from './LockIcon';

function titleOf(name: string, all: PublicChallenge[]) {
  return all.find(c => c.name === name)?.title ?? name;
}

/** The challenge board: one section per category, cards with live points. */
export function Board({ challenges }: { challenges: PublicChallenge[] }) {
  const categories = [...new Set(challenges.map(c => c.category))].sort();
  const solved = challenges.filter(c => c.solved).length;
  return (
    <section aria-labelledby="board-title">
      <div className="row spread">
        <h1 id="board-title">Challenges</h1>
        <p className="muted">
          Solved {solved} of {challenges.length}
        </p>
      </div>
      {challenges.length === 0 && (
        <p className="card">
          No challenges are open yet. This page updates by itself.
        </p>
      )}
      {categories.map(category => (
        <section key={category} aria-labelledby={`cat-${category}`}>
          <h2 id={`cat-${category}`} className="category">
            {category}
          </h2>
          <ul className="grid">
            {challenges
              .filter(c => c.category === category)
              .map(c => (
                <li key={c.name}>
                  <a
                    className={`tile${c.solved ? ' solved' : ''}${
                      c.locked ? ' locked' : ''
                    }`}
                    href={href(`/challenges/${c.name}`)}
                    onClick={e => {
                      if (e.metaKey || e.ctrlKey || e.shiftKey) return;
                      e.preventDefault();
                      navigate(`/challenges/${c.name}`);
                    }}
                    aria-label={`${c.title}, ${c.value} points, ${c.solves} ${
                      c.solves === 1 ? 'solve' : 'solves'
                    }${c.solved ? ', solved' : ''}${
                      c.locked ? ', locked' : ''
                    }`}
                  >
                    <span className="tile-title">{c.title}</span>
                    <span className="tile-points">{c.value} pts</span>
                    <span className="tile-meta">
                      {c.solves} {c.solves === 1 ? 'solve' : 'solves'}
                      {c.difficulty ? ` · ${c.difficulty}` : ''}
                    </span>
                    {c.solved && <span className="badge ok">✓ Solved</span>}
                    {c.locked && (
                      <span className="badge lock">
                        <LockIcon /> Solve{' '}
                        {c.requires.map(r => titleOf(r, challenges)).join(', ')}{' '}
                        to unlock
                      </span>
                    )}
                  </a>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
