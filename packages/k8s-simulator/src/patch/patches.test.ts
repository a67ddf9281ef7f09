import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubeSimulator } from '../KubeSimulator';
import { KubeSimulatorError } from '../KubeSimulatorError';
import { startSimulator } from '../__testUtils__/simulatorTestUtils';
import { applyJsonPatch, applyMergePatch, patchTypeOf } from './patches';

const doc = () => ({
  metadata: { name: 's', labels: { a: '1', b: '2' } },
  spec: { ports: [{ port: 1 }, { port: 2 }] },
});

describe('applyMergePatch (RFC 7386, json-merge-patch)', () => {
  it('merges objects, deletes a key given null, replaces arrays and leaves the input alone', () => {
    const before = doc();
    const after = applyMergePatch(before, {
      metadata: { labels: { a: null, c: '3' } },
      spec: { ports: [{ port: 9 }] },
    });
    expect(after).toEqual({
      metadata: { name: 's', labels: { b: '2', c: '3' } },
      spec: { ports: [{ port: 9 }] },
    });
    expect(before).toEqual(doc());
  });

  it('a null for a missing key changes nothing; a non-object patch replaces the whole document', () => {
    expect(applyMergePatch(doc(), { status: null })).toEqual(doc());
    expect(applyMergePatch(doc(), ['x'])).toEqual(['x']);
  });
});

describe('applyJsonPatch (RFC 6902, fast-json-patch)', () => {
  it('applies test, replace, add and remove in order, without touching the input', () => {
    const before = doc();
    const after = applyJsonPatch(before, [
      { op: 'test', path: '/metadata/labels/a', value: '1' },
      { op: 'replace', path: '/metadata/labels/a', value: '10' },
      { op: 'add', path: '/spec/ports/-', value: { port: 3 } },
      { op: 'remove', path: '/metadata/labels/b' },
      { op: 'remove', path: '/spec/ports/0' },
    ]);
    expect(after).toEqual({
      metadata: { name: 's', labels: { a: '10' } },
      spec: { ports: [{ port: 2 }, { port: 3 }] },
    });
    expect(before).toEqual(doc());
  });

  it('a failing test, or a path that does not exist, is 422 Invalid and applies nothing', () => {
    const failing = (ops: unknown) => {
      try {
        applyJsonPatch(doc(), ops);
      } catch (e) {
        return e;
      }
      throw new Error('the patch applied');
    };
    expect(
      failing([
        { op: 'replace', path: '/metadata/labels/a', value: 'x' },
        { op: 'test', path: '/metadata/labels/b', value: 'nope' },
      ]),
    ).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(
      failing([{ op: 'replace', path: '/metadata/missing', value: 1 }]),
    ).toMatchObject({ code: 422 });
    expect(failing([{ op: 'remove', path: '/spec/nothing' }])).toMatchObject({
      code: 422,
    });
    // RFC 6902: `add` does not create missing parents.
    const cannotAdd = failing([{ op: 'add', path: '/a/b/c', value: 1 }]);
    expect(cannotAdd).toBeInstanceOf(KubeSimulatorError);
    expect(cannotAdd).toMatchObject({ code: 422 });
  });

  it('a malformed patch is 400 BadRequest', () => {
    expect(() => applyJsonPatch(doc(), { op: 'add' })).toThrow(
      expect.objectContaining({ code: 400 }),
    );
    expect(() =>
      applyJsonPatch(doc(), [{ op: 'frobnicate', path: '/a' }]),
    ).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('patchTypeOf', () => {
  it('reads the content type; strategic merge is a merge patch here', () => {
    expect(patchTypeOf('application/json-patch+json')).toBe('json');
    expect(patchTypeOf('application/merge-patch+json')).toBe('merge');
    expect(patchTypeOf('application/strategic-merge-patch+json')).toBe('merge');
    expect(patchTypeOf('application/apply-patch+yaml')).toBe('apply');
  });
});

describe('PATCH through the real @kubernetes/client-node', () => {
  let sim: KubeSimulator;
  let core: CoreV1Api;

  beforeEach(async () => {
    ({ sim, core } = await startSimulator());
    sim.create('namespaces', { metadata: { name: 'p' } });
    sim.create('services', {
      metadata: { name: 's', namespace: 'p', labels: { a: '1', b: '2' } },
      spec: { ports: [{ port: 1 }, { port: 2 }] },
    });
  });
  afterEach(async () => {
    await sim.close();
  });

  const patchService = (body: object, strategy?: PatchStrategy) =>
    core.patchNamespacedService(
      { name: 's', namespace: 'p', body },
      strategy ? setHeaderOptions('Content-Type', strategy) : undefined,
    );

  it('a merge patch deletes a key given null and replaces lists', async () => {
    const patched = await patchService(
      { metadata: { labels: { a: null } }, spec: { ports: [{ port: 9 }] } },
      PatchStrategy.MergePatch,
    );
    expect(patched.metadata?.labels).toEqual({ b: '2' });
    expect(patched.spec?.ports).toEqual([{ port: 9 }]);
  });

  it('a strategic merge patch is applied as a merge patch: lists are replaced, not merged by key', async () => {
    const patched = await patchService(
      { spec: { ports: [{ port: 2, name: 'two' }] } },
      PatchStrategy.StrategicMergePatch,
    );
    expect(patched.spec?.ports).toEqual([{ port: 2, name: 'two' }]);
    expect(patched.metadata?.labels).toEqual({ a: '1', b: '2' });
  });

  it('a JSON patch with test, replace and remove applies; a failing test is 422 and changes nothing', async () => {
    const before = sim.get('services', 'p', 's').metadata.resourceVersion;
    await expect(
      patchService([
        { op: 'test', path: '/metadata/labels/a', value: 'not-1' },
        { op: 'remove', path: '/metadata/labels/a' },
      ]),
    ).rejects.toMatchObject({ code: 422 });
    expect(sim.get('services', 'p', 's').metadata.resourceVersion).toBe(before);
    const patched = await patchService([
      { op: 'test', path: '/metadata/labels/a', value: '1' },
      { op: 'replace', path: '/metadata/labels/b', value: '3' },
      { op: 'remove', path: '/metadata/labels/a' },
    ]);
    expect(patched.metadata?.labels).toEqual({ b: '3' });
    expect(sim.requests.at(-1)).toMatchObject({ method: 'PATCH', status: 200 });
  });

  it('answers a Status for a patch that cannot apply, 404 for a missing object, 415 for server-side apply', async () => {
    const raw = (name: string, contentType: string, body: unknown) =>
      fetch(`${sim.url}/api/v1/namespaces/p/services/${name}`, {
        method: 'PATCH',
        headers: { 'content-type': contentType },
        body: JSON.stringify(body),
      });
    const invalid = await raw('s', 'application/json-patch+json', [
      { op: 'replace', path: '/spec/missing/x', value: 1 },
    ]);
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
    });
    expect(
      (await raw('s', 'application/json-patch+json', { op: 'add' })).status,
    ).toBe(400);
    expect(
      (await raw('gone', 'application/merge-patch+json', { a: 1 })).status,
    ).toBe(404);
    expect((await raw('gone', 'application/json-patch+json', [])).status).toBe(
      404,
    );
    expect((await raw('s', 'application/apply-patch+yaml', {})).status).toBe(
      415,
    );
  });
});
