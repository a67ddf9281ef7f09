import type { Config } from '@backstage/config';
import { DEFAULT_THROTTLE_LIMITS } from './services/LoginThrottle';
import { DEFAULT_TEAM_RULES } from './services/TeamService/types';
import { originOf } from './router/requestGuard';

/** The contestant-facing settings of `contest.*` (declared in config.d.ts), with their defaults. */
export function contestantOptions(config: Config) {
  const configured = config.getOptionalStringArray(
    'contest.public.allowedOrigins',
  );
  // Default: the backend's own origin and the Backstage app's.
  const allowedOrigins = configured ?? [
    ...new Set(
      ['backend.baseUrl', 'app.baseUrl']
        .map(key => originOf(config.getOptionalString(key)))
        .filter((o): o is string => o !== undefined),
    ),
  ];
  return {
    allowedOrigins,
    teamRules: {
      maxTeamsPerContestant:
        config.getOptionalNumber('contest.teams.maxPerContestant') ??
        DEFAULT_TEAM_RULES.maxTeamsPerContestant,
      registrationClosesAtEnd:
        config.getOptionalBoolean('contest.registrationClosesAtEnd') ??
        DEFAULT_TEAM_RULES.registrationClosesAtEnd,
    },
    throttleLimits: {
      loginsPerAddress:
        config.getOptionalNumber('contest.public.failedLoginsPerAddress') ??
        DEFAULT_THROTTLE_LIMITS.loginsPerAddress,
      registrationsPerAddress:
        config.getOptionalNumber(
          'contest.public.registrationsPerAddressPerHour',
        ) ?? DEFAULT_THROTTLE_LIMITS.registrationsPerAddress,
    },
  };
}
