import * as format from './format';

const { errorStatus, errorText, formatBytes, formatTime, relativeTime } =
  format;

describe('format', () => {
  it('prefers the backend message a ResponseError carries', () => {
    expect(
      errorText({ message: 'Request failed', cause: { message: 'No such' } }),
    ).toBe('No such');
    expect(errorText(new Error('plain'))).toBe('plain');
    expect(errorText('text')).toBe('text');
    expect(errorStatus({ statusCode: 404 })).toBe(404);
    expect(errorStatus(new Error('x'))).toBeUndefined();
  });

  it('formats times, relative times and sizes', () => {
    expect(formatTime(null)).toBe('');
    expect(formatTime('not a time')).toBe('not a time');
    expect(formatTime('2026-11-22T12:00:00.000Z')).toBe(
      new Date('2026-11-22T12:00:00.000Z').toLocaleString(),
    );
    const now = Date.parse('2026-11-22T12:00:00.000Z');
    expect(relativeTime('2026-11-22T12:25:00.000Z', now)).toBe('in 25 min');
    expect(relativeTime('2026-11-22T09:00:00.000Z', now)).toBe('3.0 h ago');
    expect(relativeTime('2026-11-22T12:00:40.000Z', now)).toBe('in 40 s');
    expect(relativeTime('2026-11-25T12:00:00.000Z', now)).toBe('in 3 d');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
  });
});
