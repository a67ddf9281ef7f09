import Ajv, { type ErrorObject } from 'ajv';
import { parseEntityRef, type Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import schema from './schema/Challenge.v1alpha1.schema.json';
import {
  CHALLENGE_API_VERSION,
  CHALLENGE_KIND,
  type ChallengeEntityV1alpha1,
} from './ChallengeEntity';
import { checkRegexFlagPattern, MAX_FLAG_PATTERN_LENGTH } from './regexFlag';

/** One problem found in a Challenge entity: the field and what is wrong. @public */
export type ChallengeProblem = { path: string; message: string };

/** The stored form of a static flag. @public */
export const STATIC_FLAG_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** Allowed prefix of a dynamic flag (`prefix{...}`). @public */
export const DYNAMIC_FLAG_PREFIX = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

const PLAINTEXT_FLAG_FIELDS = ['value', 'flag', 'content', 'plaintext', 'text'];
const FLAG_FIELDS: Record<string, string[]> = {
  static: ['kind', 'sha256'],
  regex: ['kind', 'pattern', 'caseInsensitive'],
  dynamic: ['kind', 'prefix'],
};
const DYNAMIC_SCORING_FIELDS = ['initial', 'minimum', 'decay'];

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(schema);

function jsonPointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => {
      if (/^\d+$/.test(part)) return `${acc}[${part}]`;
      return acc ? `${acc}.${part}` : part;
    }, '');
}

function schemaProblem(error: ErrorObject): ChallengeProblem {
  const path = jsonPointerToPath(error.instancePath) || '(entity)';
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'required':
      return {
        path:
          path === '(entity)'
            ? params.missingProperty
            : `${path}.${params.missingProperty}`,
        message: 'is required',
      };
    case 'additionalProperties':
      return {
        path: `${path}.${params.additionalProperty}`,
        message: 'is not a known field',
      };
    case 'enum':
      return {
        path,
        message: `must be one of: ${(params.allowedValues as unknown[]).join(
          ', ',
        )}`,
      };
    default:
      // Messages from ajv describe the rule, never the value, so nothing secret is echoed.
      return { path, message: error.message ?? 'is invalid' };
  }
}

function isSafeRelativePath(p: string): boolean {
  if (p.startsWith('/') || p.includes('\\') || /^[a-zA-Z]:/.test(p))
    return false;
  return !p.split('/').includes('..');
}

function checkRef(
  problems: ChallengeProblem[],
  path: string,
  ref: string,
  defaultKind: string,
  defaultNamespace: string,
  allowedKinds: string[],
) {
  try {
    const parsed = parseEntityRef(ref, { defaultKind, defaultNamespace });
    if (!allowedKinds.includes(parsed.kind.toLocaleLowerCase('en-US'))) {
      problems.push({
        path,
        message: `"${ref}" must refer to a ${allowedKinds.join(
          ' or ',
        )} entity, not ${parsed.kind}`,
      });
    }
    return parsed;
  } catch {
    problems.push({
      path,
      message: `"${ref}" is not a valid entity reference`,
    });
    return undefined;
  }
}

function checkScoring(problems: ChallengeProblem[], scoring: any) {
  if (!scoring || typeof scoring !== 'object') return;
  const fn = scoring.function;
  if (fn === 'static') {
    if (scoring.value === undefined) {
      problems.push({
        path: 'spec.scoring.value',
        message: 'is required for the static scoring function',
      });
    }
    for (const f of DYNAMIC_SCORING_FIELDS) {
      if (scoring[f] !== undefined) {
        problems.push({
          path: `spec.scoring.${f}`,
          message: 'is only used by dynamic scoring functions; use value',
        });
      }
    }
    return;
  }
  if (scoring.value !== undefined) {
    problems.push({
      path: 'spec.scoring.value',
      message: `is only used by the static scoring function; ${fn} takes initial, minimum and decay`,
    });
  }
  for (const f of fn === 'rctf'
    ? ['initial', 'minimum']
    : DYNAMIC_SCORING_FIELDS) {
    if (scoring[f] === undefined) {
      problems.push({
        path: `spec.scoring.${f}`,
        message: `is required for the ${fn} scoring function`,
      });
    }
  }
  if (
    typeof scoring.initial === 'number' &&
    typeof scoring.minimum === 'number' &&
    scoring.minimum > scoring.initial
  ) {
    problems.push({
      path: 'spec.scoring.minimum',
      message: 'must not be greater than initial',
    });
  }
}

function checkFlags(problems: ChallengeProblem[], spec: any) {
  if (!Array.isArray(spec.flags)) return;
  spec.flags.forEach((flag: any, i: number) => {
    const base = `spec.flags[${i}]`;
    if (!flag || typeof flag !== 'object' || !FLAG_FIELDS[flag.kind]) return; // reported by the schema
    const plaintext = PLAINTEXT_FLAG_FIELDS.filter(f => f in flag);
    if (flag.kind === 'static' && plaintext.length > 0) {
      problems.push({
        path: `${base}.${plaintext[0]}`,
        message:
          'plaintext static flags are refused; store only the digest as sha256: "sha256:<hex>" (print it with `yarn flagstage flag-hash`)',
      });
    }
    for (const key of Object.keys(flag)) {
      if (
        !FLAG_FIELDS[flag.kind].includes(key) &&
        !(flag.kind === 'static' && plaintext.includes(key))
      ) {
        problems.push({
          path: `${base}.${key}`,
          message: `is not a field of a ${flag.kind} flag`,
        });
      }
    }
    if (flag.kind === 'static') {
      if (flag.sha256 === undefined) {
        if (plaintext.length === 0)
          problems.push({ path: `${base}.sha256`, message: 'is required' });
      } else if (
        typeof flag.sha256 !== 'string' ||
        !STATIC_FLAG_DIGEST.test(flag.sha256)
      ) {
        // Never echo the value: an author may have pasted the plaintext flag here.
        problems.push({
          path: `${base}.sha256`,
          message:
            'must be "sha256:" followed by 64 lower-case hex digits (print it with `yarn flagstage flag-hash`)',
        });
      }
    } else if (flag.kind === 'regex') {
      if (typeof flag.pattern !== 'string' || flag.pattern.length === 0) {
        problems.push({
          path: `${base}.pattern`,
          message: 'is required and must be a non-empty string',
        });
      } else if (flag.pattern.length > MAX_FLAG_PATTERN_LENGTH) {
        problems.push({
          path: `${base}.pattern`,
          message: `must be at most ${MAX_FLAG_PATTERN_LENGTH} characters`,
        });
      } else {
        // The same check the contest backend applies before matching.
        const check = checkRegexFlagPattern(flag.pattern);
        if (!check.ok) {
          problems.push({
            path: `${base}.pattern`,
            message: `is not a valid regular expression: ${check.reason}`,
          });
        }
      }
      if (
        flag.caseInsensitive !== undefined &&
        typeof flag.caseInsensitive !== 'boolean'
      ) {
        problems.push({
          path: `${base}.caseInsensitive`,
          message: 'must be a boolean',
        });
      }
    } else if (flag.kind === 'dynamic') {
      if (
        typeof flag.prefix !== 'string' ||
        !DYNAMIC_FLAG_PREFIX.test(flag.prefix)
      ) {
        problems.push({
          path: `${base}.prefix`,
          message:
            'must be a letter followed by up to 31 letters, digits or underscores (the flag reads prefix{...})',
        });
      }
      if (spec.type !== 'instanced') {
        problems.push({
          path: `${base}.kind`,
          message:
            'dynamic flags need an instanced challenge: the per-team flag reaches the instance as FLAG',
        });
      }
    }
  });
}

function checkRuntime(problems: ChallengeProblem[], spec: any) {
  const runtime = spec.runtime;
  if (spec.type === 'instanced' && !runtime) {
    problems.push({
      path: 'spec.runtime',
      message: 'is required for an instanced challenge',
    });
  }
  if (spec.type === 'static' && runtime) {
    problems.push({
      path: 'spec.runtime',
      message: 'is only allowed on instanced challenges',
    });
  }
  if (!runtime || typeof runtime !== 'object') return;
  const hasImage = runtime.image !== undefined;
  const hasBuild = runtime.build !== undefined;
  if (hasImage === hasBuild) {
    problems.push({
      path: 'spec.runtime',
      message: 'needs exactly one of image or build',
    });
  }
  for (const [path, value] of [
    ['spec.runtime.build.context', runtime.build?.context],
    ['spec.runtime.build.dockerfile', runtime.build?.dockerfile],
    ['spec.runtime.local.cwd', runtime.local?.cwd],
  ] as const) {
    if (typeof value === 'string' && !isSafeRelativePath(value)) {
      problems.push({
        path,
        message: 'must be a relative path inside the challenge package',
      });
    }
  }
}

function checkAttachments(problems: ChallengeProblem[], spec: any) {
  if (!Array.isArray(spec.attachments)) return;
  spec.attachments.forEach((a: any, i: number) => {
    if (!a || typeof a !== 'object') return;
    const base = `spec.attachments[${i}]`;
    if ((a.path === undefined) === (a.url === undefined)) {
      problems.push({
        path: base,
        message: 'needs exactly one of path or url',
      });
    }
    if (typeof a.path === 'string' && !isSafeRelativePath(a.path)) {
      problems.push({
        path: `${base}.path`,
        message: 'must be a relative path inside the challenge package',
      });
    }
  });
}

/**
 * Validates a Challenge entity against the JSON schema and the rules a schema
 * cannot express. Returns every problem found, each naming its field; messages
 * never repeat flag values.
 *
 * @public
 */
export function validateChallengeEntity(entity: Entity): ChallengeProblem[] {
  const problems: ChallengeProblem[] = [];
  if (!validateSchema(entity)) {
    for (const error of validateSchema.errors ?? []) {
      const p = schemaProblem(error);
      if (!problems.some(q => q.path === p.path && q.message === p.message)) {
        problems.push(p);
      }
    }
  }
  const spec: any = entity.spec;
  if (!spec || typeof spec !== 'object') return problems;
  const namespace = entity.metadata?.namespace ?? 'default';

  if (typeof spec.owner === 'string' && spec.owner) {
    checkRef(problems, 'spec.owner', spec.owner, 'group', namespace, [
      'group',
      'user',
    ]);
  }
  checkScoring(problems, spec.scoring);
  checkFlags(problems, spec);
  checkRuntime(problems, spec);
  checkAttachments(problems, spec);
  if (Array.isArray(spec.requires)) {
    spec.requires.forEach((ref: unknown, i: number) => {
      if (typeof ref !== 'string') return;
      const parsed = checkRef(
        problems,
        `spec.requires[${i}]`,
        ref,
        'challenge',
        namespace,
        ['challenge'],
      );
      if (
        parsed &&
        parsed.name === entity.metadata?.name &&
        parsed.namespace === namespace &&
        parsed.kind.toLocaleLowerCase('en-US') === 'challenge'
      ) {
        problems.push({
          path: `spec.requires[${i}]`,
          message: 'a challenge cannot require itself',
        });
      }
    });
  }
  return problems;
}

/**
 * Throws an InputError listing every problem if the entity is not a valid
 * Challenge; otherwise narrows its type.
 *
 * @public
 */
export function assertValidChallengeEntity(
  entity: Entity,
): asserts entity is ChallengeEntityV1alpha1 {
  const problems = validateChallengeEntity(entity);
  if (problems.length > 0) {
    const name = entity.metadata?.name ?? '(unnamed)';
    throw new InputError(
      `Invalid ${CHALLENGE_KIND} ${CHALLENGE_API_VERSION} "${name}": ${problems
        .map(p => `${p.path}: ${p.message}`)
        .join('; ')}`,
    );
  }
}
