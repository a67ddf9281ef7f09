import type { Entity } from '@backstage/catalog-model';
import type { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { InputError } from '@backstage/errors';
import { ChallengeEntityProcessor } from './ChallengeEntityProcessor';

const location = { type: 'file', target: '/tmp/catalog-info.yaml' };

const challenge: Entity = {
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name: 'tcp-math-oracle', namespace: 'default' },
  spec: {
    owner: 'ctf-authors',
    category: 'misc',
    type: 'instanced',
    difficulty: 'medium',
    scoring: { function: 'gzctf', initial: 1000, minimum: 250, decay: 5 },
    flags: [{ kind: 'static', sha256: `sha256:${'0'.repeat(64)}` }],
    requires: ['web-cookie-jar', 'challenge:ctf2/warmup'],
    runtime: { protocol: 'tcp', build: { context: '.' } },
  },
};

describe('ChallengeEntityProcessor', () => {
  const processor = new ChallengeEntityProcessor();

  it('validates Challenge entities and ignores other kinds', async () => {
    await expect(processor.validateEntityKind(challenge)).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      }),
    ).resolves.toBe(false);
    await expect(
      processor.validateEntityKind({
        ...challenge,
        apiVersion: 'flagstage.io/v2',
      }),
    ).resolves.toBe(false);
  });

  it('throws an InputError naming the field for an invalid challenge', async () => {
    const broken = {
      ...challenge,
      spec: {
        ...challenge.spec,
        runtime: { protocol: 'tcp', port: 0, image: 'x' },
      },
    };
    const error = await processor.validateEntityKind(broken).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toMatch(/spec\.runtime\.port: must be >= 1/);
  });

  it('refuses a regex flag the flag checker cannot run, naming the field', async () => {
    for (const [pattern, reason] of [
      ['flag\\{(a+)\\1\\}', /backreferences/],
      ['flag\\{(?=x)x\\}', /lookahead/],
      ['flag\\{[a-', /.+/],
    ] as const) {
      const unsafe = {
        ...challenge,
        spec: {
          ...challenge.spec,
          flags: [{ kind: 'regex', pattern }],
        },
      };
      const error = await processor.validateEntityKind(unsafe).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(/spec\.flags\[0\]\.pattern/);
      expect(error.message).toMatch(reason);
    }
  });

  it('points the Kubernetes tab at the challenge label, keeping other annotations', async () => {
    const input = {
      ...challenge,
      metadata: {
        ...challenge.metadata,
        annotations: { 'example.com/a': 'b' },
      },
    };
    const out = await processor.preProcessEntity(input);
    expect(out.metadata.annotations).toEqual({
      'example.com/a': 'b',
      // KUBERNETES_LABEL_SELECTOR_QUERY_ANNOTATION, as the Kubernetes plugin reads it.
      'backstage.io/kubernetes-label-selector':
        'flagstage.io/challenge=tcp-math-oracle',
    });
    expect(input.metadata.annotations).toEqual({ 'example.com/a': 'b' });
  });

  it('emits ownership and prerequisite relations in both directions', async () => {
    const emitted: CatalogProcessorResult[] = [];
    await processor.postProcessEntity(challenge, location, r =>
      emitted.push(r),
    );
    const relations = emitted.map(r => {
      if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
      const { source, type, target } = r.relation;
      const ref = (e: typeof source) =>
        `${e.kind}:${e.namespace}/${e.name}`.toLocaleLowerCase('en-US');
      return `${ref(source)} ${type} ${ref(target)}`;
    });
    expect(relations).toEqual([
      'challenge:default/tcp-math-oracle ownedBy group:default/ctf-authors',
      'group:default/ctf-authors ownerOf challenge:default/tcp-math-oracle',
      'challenge:default/tcp-math-oracle dependsOn challenge:default/web-cookie-jar',
      'challenge:default/web-cookie-jar dependencyOf challenge:default/tcp-math-oracle',
      'challenge:default/tcp-math-oracle dependsOn challenge:ctf2/warmup',
      'challenge:ctf2/warmup dependencyOf challenge:default/tcp-math-oracle',
    ]);
  });
});
