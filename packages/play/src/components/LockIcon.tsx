/**
 * A small padlock drawn inline: an emoji would depend on the contestant's
 * fonts (Debian's Chromium without an emoji font draws an empty box).
 */
export function LockIcon() {
  return (
    <svg
      className="icon"
      width="12"
      height="12"
      viewBox="0 0 16 16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        fill="currentColor"
        d="M4 7V5a4 4 0 0 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 0 0-4 0v2z"
      />
    </svg>
  );
}
