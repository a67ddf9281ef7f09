import type { Entity } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';
import {
  assertValidChallengeEntity,
  validateChallengeEntity,
} from './validateChallengeEntity';

const digest = (flag: string) =>
  `sha256:${createHash('sha256').update(flag).digest('hex')}`;

function challenge(
  spec: Record<string, unknown> = {},
  name = 'web-one',
): Entity {
  return {
    apiVersion: 'flagstage.io/v1alpha1',
    kind: 'Challenge',
    metadata: { name },
    spec: {
      owner: 'group:default/ctf-authors',
      category: 'web',
      type: 'instanced',
      difficulty: 'easy',
      scoring: {
        function: 'ctfd-linear',
        initial: 500,
        minimum: 100,
        decay: 20,
      },
      flags: [{ kind: 'static', sha256: digest('flagstage{one}') }],
      runtime: {
        protocol: 'http',
        port: 3333,
        build: { context: '.', dockerfile: 'Dockerfile' },
        local: { command: ['node', 'server.mjs'], cwd: '.' },
      },
      ...spec,
    },
  };
}

function without(key: string) {
  const entity = challenge();
  delete (entity.spec as any)[key];
  return entity;
}

describe('validateChallengeEntity', () => {
  it.each([
    ['an instanced challenge', challenge()],
    [
      'a static download challenge',
      challenge({
        type: 'static',
        runtime: undefined,
        scoring: { function: 'static', value: 200 },
        attachments: [
          {
            name: 'notes.enc',
            path: 'files/notes.enc',
            sha256: 'a'.repeat(64),
          },
        ],
      }),
    ],
    [
      'regex, dynamic and static flags together with hints and requires',
      challenge({
        flags: [
          {
            kind: 'regex',
            pattern: 'flagstage\\{[a-z]{4}\\}',
            caseInsensitive: true,
          },
          { kind: 'dynamic', prefix: 'flagstage' },
          { kind: 'static', sha256: digest('x') },
        ],
        hints: [{ title: 'Look', content: 'closer', cost: 10 }],
        requires: ['challenge:default/warmup', 'intro'],
        scoring: { function: 'rctf', initial: 500, minimum: 100 },
      }),
    ],
    [
      'gzctf scoring',
      challenge({
        scoring: { function: 'gzctf', initial: 1000, minimum: 250, decay: 5 },
      }),
    ],
    [
      'an image instead of a build',
      challenge({
        runtime: { protocol: 'tcp', image: 'registry.local/pwn:1' },
      }),
    ],
  ])('accepts %s', (_, entity) => {
    expect(validateChallengeEntity(entity)).toEqual([]);
  });

  const invalid: Array<[string, Entity, string, RegExp]> = [
    [
      'a plaintext static flag',
      challenge({ flags: [{ kind: 'static', value: 'flagstage{oops}' }] }),
      'spec.flags[0].value',
      /plaintext static flags are refused/,
    ],
    [
      'a plaintext flag pasted into sha256',
      challenge({ flags: [{ kind: 'static', sha256: 'flagstage{oops}' }] }),
      'spec.flags[0].sha256',
      /"sha256:" followed by 64/,
    ],
    [
      'an unknown scoring function',
      challenge({ scoring: { function: 'fibonacci', value: 5 } }),
      'spec.scoring.function',
      /must be one of: static, ctfd-linear, ctfd-log, rctf, gzctf/,
    ],
    [
      'a port out of range',
      challenge({ runtime: { protocol: 'http', port: 70000, image: 'x' } }),
      'spec.runtime.port',
      /must be <= 65535/,
    ],
    ['a missing owner', without('owner'), 'spec.owner', /is required/],
    [
      'a bad ref in requires',
      challenge({ requires: ['challenge:default/'] }),
      'spec.requires[0]',
      /not a valid entity reference/,
    ],
    [
      'a requires ref of another kind',
      challenge({ requires: ['component:default/website'] }),
      'spec.requires[0]',
      /must refer to a challenge entity/,
    ],
    [
      'a challenge requiring itself',
      challenge({ requires: ['web-one'] }),
      'spec.requires[0]',
      /cannot require itself/,
    ],
    [
      'dynamic scoring without decay',
      challenge({
        scoring: { function: 'ctfd-log', initial: 500, minimum: 100 },
      }),
      'spec.scoring.decay',
      /is required for the ctfd-log scoring function/,
    ],
    [
      'static scoring without value',
      challenge({ scoring: { function: 'static' } }),
      'spec.scoring.value',
      /is required for the static scoring function/,
    ],
    [
      'minimum above initial',
      challenge({
        scoring: {
          function: 'ctfd-linear',
          initial: 100,
          minimum: 500,
          decay: 1,
        },
      }),
      'spec.scoring.minimum',
      /must not be greater than initial/,
    ],
    [
      'an invalid regex flag',
      challenge({ flags: [{ kind: 'regex', pattern: 'flag{(unclosed' }] }),
      'spec.flags[0].pattern',
      /not a valid regular expression/,
    ],
    [
      'a dynamic flag on a static challenge',
      challenge({
        type: 'static',
        runtime: undefined,
        flags: [{ kind: 'dynamic', prefix: 'flagstage' }],
      }),
      'spec.flags[0].kind',
      /dynamic flags need an instanced challenge/,
    ],
    [
      'a dynamic flag prefix with braces',
      challenge({ flags: [{ kind: 'dynamic', prefix: 'flag{' }] }),
      'spec.flags[0].prefix',
      /must be a letter/,
    ],
    [
      'an unknown flag kind',
      challenge({ flags: [{ kind: 'magic' }] }),
      'spec.flags[0].kind',
      /must be one of: static, regex, dynamic/,
    ],
    [
      'no flags',
      challenge({ flags: [] }),
      'spec.flags',
      /must NOT have fewer than 1 items/,
    ],
    [
      'an instanced challenge without runtime',
      challenge({ runtime: undefined }),
      'spec.runtime',
      /is required for an instanced challenge/,
    ],
    [
      'both image and build',
      challenge({
        runtime: { protocol: 'http', image: 'x', build: { context: '.' } },
      }),
      'spec.runtime',
      /exactly one of image or build/,
    ],
    [
      'a build context escaping the package',
      challenge({
        runtime: { protocol: 'http', build: { context: '../../etc' } },
      }),
      'spec.runtime.build.context',
      /relative path inside the challenge package/,
    ],
    [
      'an unknown protocol',
      challenge({ runtime: { protocol: 'udp', image: 'x' } }),
      'spec.runtime.protocol',
      /must be one of: http, tcp/,
    ],
    [
      'a typo in a spec field',
      challenge({ dificulty: 'easy' }),
      'spec.dificulty',
      /is not a known field/,
    ],
    [
      'a bad memory quantity',
      challenge({
        runtime: { protocol: 'http', image: 'x', resources: { memory: '1GB' } },
      }),
      'spec.runtime.resources.memory',
      /must match pattern/,
    ],
    [
      'an attachment with both path and url',
      challenge({
        attachments: [{ name: 'a.bin', path: 'a.bin', url: 'https://x/a.bin' }],
      }),
      'spec.attachments[0]',
      /exactly one of path or url/,
    ],
    [
      'a negative hint cost',
      challenge({ hints: [{ title: 't', content: 'c', cost: -5 }] }),
      'spec.hints[0].cost',
      /must be >= 0/,
    ],
    [
      'a ttl below one minute',
      challenge({ runtime: { protocol: 'http', image: 'x', ttlSeconds: 5 } }),
      'spec.runtime.ttlSeconds',
      /must be >= 60/,
    ],
  ];

  it.each(
    invalid.map(
      ([what, entity, path, message]) => [what, path, entity, message] as const,
    ),
  )('refuses %s, naming %s', (_, path, entity, message) => {
    const problems = validateChallengeEntity(entity);
    expect(problems).toContainEqual({
      path,
      message: expect.stringMatching(message),
    });
  });

  it('never echoes a plaintext flag in its messages', () => {
    const secret = 'flagstage{do_not_leak_me}';
    const entity = challenge({
      flags: [
        { kind: 'static', value: secret },
        { kind: 'static', sha256: secret },
      ],
    });
    expect(() => assertValidChallengeEntity(entity)).toThrow(
      /spec\.flags\[0\]\.value/,
    );
    let error: unknown;
    try {
      assertValidChallengeEntity(entity);
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).toBe('InputError');
    expect(String(error)).not.toContain('do_not_leak_me');
  });

  it('reports every problem at once', () => {
    const entity = challenge({
      category: 'Web!',
      difficulty: 'trivial',
      scoring: { function: 'static' },
    });
    const paths = validateChallengeEntity(entity).map(p => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'spec.category',
        'spec.difficulty',
        'spec.scoring.value',
      ]),
    );
  });
});
