/** The backend's message of a failed request (a ResponseError carries it as its cause), or the error's own. @public */
export function errorText(error: unknown): string {
  const e = error as { cause?: { message?: string }; message?: string };
  return e?.cause?.message || e?.message || String(error);
}

/** HTTP status of a failed request, when there was one. @public */
export function errorStatus(error: unknown): number | undefined {
  return (error as { statusCode?: number })?.statusCode;
}

/** An ISO time in the browser's locale; '' for none; the text itself when it is not a time. @public */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "in 25 min", "3.0 h ago", "in 40 s". @public */
export function relativeTime(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 60_000) text = `${Math.round(abs / 1000)} s`;
  else if (abs < 3_600_000) text = `${Math.round(abs / 60_000)} min`;
  else if (abs < 86_400_000)
    text = `${(abs / 3_600_000).toFixed(abs < 36_000_000 ? 1 : 0)} h`;
  else text = `${Math.round(abs / 86_400_000)} d`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** 1536 → "1.5 KiB". @public */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0
    ? `${value} B`
    : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
