import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, type Announcement } from '../lib/api';
import { formatTime, useInterval } from '../lib/hooks';
import { ErrorText } from './ErrorText';
import { Markdown } from './Markdown';

/** The contest's announcements, newest first. */
export function Announcements({ slug }: { slug: string }) {
  const [items, setItems] = useState<Announcement[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setItems(await api.announcements(slug));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [slug]);
  useEffect(() => {
    load();
  }, [load]);
  useInterval(load, 30000);
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
