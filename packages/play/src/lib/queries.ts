import { QueryClient } from '@tanstack/react-query';

/**
 * The app's query client. No retries and no refetch on window focus: a
 * failed load shows its sentence at once and the next poll (or the
 * contestant's next action) tries again, as before TanStack Query.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false },
    },
  });
}

/** Query keys, one place: invalidating a prefix refetches what hangs off it. */
export const keys = {
  session: ['session'] as const,
  contest: (slug: string | undefined) => ['contest', slug] as const,
  challenges: (teamId: string | undefined) => ['challenges', teamId] as const,
  instance: (challenge: string) => ['instance', challenge] as const,
  scoreboard: (slug: string, division: string) =>
    ['scoreboard', slug, division] as const,
  announcements: (slug: string) => ['announcements', slug] as const,
};
