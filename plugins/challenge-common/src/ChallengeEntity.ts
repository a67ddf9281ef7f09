import type { Entity } from '@backstage/catalog-model';

/** The apiVersion of the Challenge kind. @public */
export const CHALLENGE_API_VERSION = 'flagstage.io/v1alpha1';
/** The kind name. @public */
export const CHALLENGE_KIND = 'Challenge';
/** Label put on every Kubernetes object created for a challenge. @public */
export const CHALLENGE_LABEL = 'flagstage.io/challenge';
/** Default port a challenge listens on in its container. @public */
export const DEFAULT_CHALLENGE_PORT = 3333;
/** Default instance lifetime, in seconds. @public */
export const DEFAULT_TTL_SECONDS = 3600;

/** @public */
export const SCORING_FUNCTIONS = [
  'static',
  'ctfd-linear',
  'ctfd-log',
  'rctf',
  'gzctf',
] as const;
/** @public */
export type ScoringFunction = (typeof SCORING_FUNCTIONS)[number];

/** @public */
export type ChallengeScoring = {
  function: ScoringFunction;
  /** Fixed points (static only). */
  value?: number;
  /** Points before any solve (all dynamic functions). */
  initial?: number;
  /** Floor the value never goes below (all dynamic functions). */
  minimum?: number;
  /** Shape parameter: points per solve (linear), solves to reach minimum (log), d (gzctf). */
  decay?: number;
};

/** A static flag, stored only as its SHA-256 digest. @public */
export type StaticFlag = { kind: 'static'; sha256: string };
/** A regular-expression flag, matched against the whole submission. @public */
export type RegexFlag = {
  kind: 'regex';
  pattern: string;
  caseInsensitive?: boolean;
};
/** A per-team flag derived from the contest secret: `prefix{...}`. @public */
export type DynamicFlag = { kind: 'dynamic'; prefix: string };
/** @public */
export type ChallengeFlag = StaticFlag | RegexFlag | DynamicFlag;

/** @public */
export type ChallengeHint = { title: string; content: string; cost?: number };

/** @public */
export type ChallengeAttachment = {
  name: string;
  /** Path inside the challenge package. */
  path?: string;
  /** Or a download URL. */
  url?: string;
  /** Hex digest, shown to contestants so they can check the download. */
  sha256?: string;
};

/** @public */
export type ChallengeRuntime = {
  protocol: 'http' | 'tcp';
  port?: number;
  image?: string;
  build?: { context?: string; dockerfile?: string };
  resources?: { cpu?: string; memory?: string };
  gvisor?: boolean;
  harden?: boolean;
  ttlSeconds?: number;
  local?: { command: string[]; cwd?: string };
};

/** @public */
export type ChallengeSpec = {
  owner: string;
  category: string;
  type: 'static' | 'instanced';
  difficulty: 'beginner' | 'easy' | 'medium' | 'hard' | 'insane';
  scoring: ChallengeScoring;
  flags: ChallengeFlag[];
  hints?: ChallengeHint[];
  requires?: string[];
  attachments?: ChallengeAttachment[];
  runtime?: ChallengeRuntime;
};

/** A catalog entity of kind Challenge. @public */
export interface ChallengeEntityV1alpha1 extends Entity {
  apiVersion: typeof CHALLENGE_API_VERSION;
  kind: typeof CHALLENGE_KIND;
  spec: ChallengeSpec;
}

/** @public */
export function isChallengeEntity(
  entity: Entity,
): entity is ChallengeEntityV1alpha1 {
  return (
    entity.apiVersion === CHALLENGE_API_VERSION &&
    entity.kind === CHALLENGE_KIND
  );
}
