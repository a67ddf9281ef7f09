import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { PublicContest } from '@flagstage/plugin-contest-common';
import { api, messageOf } from './lib/api';
import { formatTime } from './lib/hooks';
import { keys } from './lib/queries';
import { href, navigate, useRoute } from './lib/router';
import { Announcements } from './components/Announcements';
import { AuthForm } from './components/AuthForm';
import { Board } from './components/Board';
import { ChallengeView } from './components/ChallengeView';
import { ErrorText } from './components/ErrorText';
import { Scoreboard } from './components/Scoreboard';
import { TeamPanel } from './components/TeamPanel';
import { ThemeToggle } from './components/ThemeToggle';

function preferredSlug(contests: PublicContest[]): string | undefined {
  const fromQuery = new URLSearchParams(window.location.search).get('contest');
  const stored = window.localStorage?.getItem('flagstage-contest');
  for (const wanted of [fromQuery, stored, 'demo']) {
    if (wanted && contests.some(c => c.slug === wanted)) return wanted;
  }
  return contests[0]?.slug;
}

function NavLink(props: { to: string; route: string; children: ReactNode }) {
  const active =
    props.to === '/'
      ? props.route === '/' || props.route.startsWith('/challenges')
      : props.route === props.to;
  return (
    <a
      href={href(props.to)}
      aria-current={active ? 'page' : undefined}
      onClick={e => {
        if (e.metaKey || e.ctrlKey || e.shiftKey) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

/** The contestant app: account, team, board, challenge, scoreboard, announcements. */
export function App() {
  const route = useRoute();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const [logoutError, setLogoutError] = useState<string | null>(null);
  const mainRef = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  // Who is signed in (null: nobody) and the contests there are.
  const session = useQuery({
    queryKey: keys.session,
    queryFn: async () => {
      const [me, contests] = await Promise.all([api.me(), api.contests()]);
      return { me, contests };
    },
  });
  const me = session.isError ? null : session.data?.me;
  const contests = session.data?.contests ?? [];
  const slug = session.data
    ? session.data.me?.contest ?? picked ?? preferredSlug(contests)
    : undefined;
  const reloadSession = () =>
    queryClient.invalidateQueries({ queryKey: keys.session });

  useEffect(() => {
    if (slug) window.localStorage?.setItem('flagstage-contest', slug);
  }, [slug]);
  const contestQuery = useQuery({
    queryKey: keys.contest(slug),
    queryFn: () => api.contest(slug!),
    enabled: Boolean(slug),
  });
  const contest = contestQuery.data ?? null;

  const teamId = me?.team?.id;
  const playing = route === '/' || route.startsWith('/challenges/');
  const challengesQuery = useQuery({
    queryKey: keys.challenges(teamId),
    queryFn: api.challenges,
    enabled: Boolean(teamId),
    refetchInterval: playing ? 15000 : false,
  });
  const challenges = challengesQuery.data ?? null;
  const reloadChallenges = () =>
    queryClient.invalidateQueries({ queryKey: keys.challenges(teamId) });

  const failed = session.error ?? contestQuery.error ?? challengesQuery.error;
  const error = logoutError ?? (failed ? messageOf(failed) : null);

  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [route]);

  const logout = async () => {
    setLogoutError(null);
    try {
      await api.logout();
    } catch (e) {
      setLogoutError(messageOf(e));
    }
    await reloadSession();
    navigate('/');
  };

  const now = Date.now();
  let content: ReactNode = <p className="muted">Loading…</p>;
  if (me !== undefined && contest) {
    if (route === '/scoreboard') {
      content = <Scoreboard contest={contest} myTeamId={me?.team?.id} />;
    } else if (route === '/announcements') {
      content = <Announcements slug={contest.slug} />;
    } else if (!me) {
      content = (
        <>
          {contests.length > 1 && (
            <label className="inline contest-pick">
              Contest{' '}
              <select value={slug} onChange={e => setPicked(e.target.value)}>
                {contests.map(c => (
                  <option key={c.slug} value={c.slug}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <AuthForm contest={contest} onSignedIn={reloadSession} />
        </>
      );
    } else if (!me.team || route === '/team') {
      content = (
        <TeamPanel me={me} contest={contest} onChanged={reloadSession} />
      );
    } else if (route.startsWith('/challenges/')) {
      const name = decodeURIComponent(route.slice('/challenges/'.length));
      content = challenges ? (
        <ChallengeView
          challenge={challenges.find(c => c.name === name)}
          all={challenges}
          onChanged={reloadChallenges}
        />
      ) : (
        <p className="muted">Loading…</p>
      );
    } else {
      content = challenges ? (
        <Board challenges={challenges} />
      ) : (
        <p className="muted">Loading…</p>
      );
    }
  } else if (me !== undefined && !slug) {
    content = <p className="card">There is no contest to play yet.</p>;
  }

  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="top-inner">
          <a
            className="brand"
            href={href('/')}
            onClick={e => {
              e.preventDefault();
              navigate('/');
            }}
          >
            <span aria-hidden="true">⚑</span> Flagstage
          </a>
          <nav aria-label="Main">
            <NavLink to="/" route={route}>
              Challenges
            </NavLink>
            <NavLink to="/scoreboard" route={route}>
              Scoreboard
            </NavLink>
            <NavLink to="/announcements" route={route}>
              News
            </NavLink>
            {me && (
              <NavLink to="/team" route={route}>
                Team
              </NavLink>
            )}
          </nav>
          <div className="user">
            {me && (
              <>
                <span className="muted who">
                  {me.username}
                  {me.team ? ` · ${me.team.name}` : ''}
                </span>
                <button type="button" className="ghost" onClick={logout}>
                  Sign out
                </button>
              </>
            )}
            <ThemeToggle />
          </div>
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {contest && now < Date.parse(contest.startsAt) && (
          <p className="banner" role="status">
            {contest.name} opens {formatTime(contest.startsAt)}. Challenges
            appear then.
          </p>
        )}
        {contest && now >= Date.parse(contest.endsAt) && (
          <p className="banner" role="status">
            {contest.name} has ended. Flags are no longer accepted.
          </p>
        )}
        <ErrorText message={error} />
        {content}
      </main>
    </>
  );
}
