import { useEffect, useState } from 'react';

/** The path the app is served under (`/play`), or '' in tests and at a root. */
export function basePath(): string {
  return window.location.pathname.startsWith('/play') ? '/play' : '';
}

/** The route inside the app, e.g. `/challenges/web-cookie-jar`. */
export function currentRoute(): string {
  const path = window.location.pathname.slice(basePath().length);
  return path === '' ? '/' : path;
}

export function href(route: string): string {
  return `${basePath()}${route}`;
}

const listeners = new Set<() => void>();

export function navigate(route: string) {
  window.history.pushState(null, '', href(route));
  listeners.forEach(l => l());
  document.documentElement.scrollTop = 0;
}

/** The current route; re-renders on navigation and back/forward. */
export function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
