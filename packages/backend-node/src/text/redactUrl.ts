/**
 * A service URL with its password replaced by `***`, for log lines and error
 * messages (a broker or database URL must never print its credentials).
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable url)';
  }
}
