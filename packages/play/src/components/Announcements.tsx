import { useQuery } from '@tanstack/react-query';
import { api, messageOf } from '../lib/api';
import { formatTime } from '../lib/hooks';
import { keys } from '../lib/queries';
import { ErrorText } from './ErrorText';
import { Markdown } from './Markdown';

/** The contest's announcements, newest first. */
export function Announcements({ slug }: { slug: string }) {
  const announcements = useQuery({
    queryKey: keys.announcements(slug),
    queryFn: () => api.announcements(slug),
    refetchInterval: 30000,
  });
  const items = announcements.data;
  const error = announcements.error ? messageOf(announcements.error) : null;
  return (
    <section aria-labelledby="announcements-title">
      <h1 id="announcements-title">Announcements</h1>
      <ErrorText message={error} />
      {items?.length === 0 && (
        <p className="card muted">No announcements yet.</p>
      )}
      {items?.map(a => (
        <article key={a.id} className="card">
          <h2>{a.title}</h2>
          <p className="muted small">{formatTime(a.createdAt)}</p>
          <Markdown text={a.body} />
        </article>
      ))}
    </section>
  );
}
