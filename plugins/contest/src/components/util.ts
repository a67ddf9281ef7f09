function pad(n: number) {
  return String(n).padStart(2, '0');
}

/** ISO time → the value of a `datetime-local` input, in the browser's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(
    d.getHours(),
  )}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (browser's time zone) → ISO time; '' → undefined. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Where a contest is in its window, at `now`. */
export function contestPhase(
  contest: { startsAt: string; endsAt: string; freezeAt: string | null },
  now = new Date(),
): 'upcoming' | 'running' | 'frozen' | 'ended' {
  const t = now.getTime();
  if (t < Date.parse(contest.startsAt)) return 'upcoming';
  if (t >= Date.parse(contest.endsAt)) return 'ended';
  if (contest.freezeAt && t >= Date.parse(contest.freezeAt)) return 'frozen';
  return 'running';
}
