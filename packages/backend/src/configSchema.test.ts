import fs from 'node:fs';
import path from 'node:path';
import { loadConfigSchema } from '@backstage/config-loader';
import { parse } from 'yaml';

const repoRoot = path.resolve(__dirname, '../../..');

/**
 * `yarn start` loads the config schema of every package the backend and the
 * app depend on, and refuses to start when one is missing or does not
 * compile. This test does the same, then validates the committed app
 * configs against the merged schema.
 */
describe('config schemas', () => {
  it('load for every package and accept the committed app configs', async () => {
    const schema = await loadConfigSchema({
      dependencies: ['backend', 'app'],
    });
    const configs = [
      'app-config.yaml',
      'app-config.production.yaml',
      'app-config.worker.yaml',
    ]
      .filter(f => fs.existsSync(path.join(repoRoot, f)))
      .map(f => ({
        context: f,
        // ${VAR} substitutions stay strings; the schema sees their shape.
        data: parse(fs.readFileSync(path.join(repoRoot, f), 'utf8')),
      }));
    expect(configs.length).toBeGreaterThan(0);
    expect(() =>
      schema.process(configs, { ignoreSchemaErrors: false }),
    ).not.toThrow();
    const serialized = JSON.stringify(schema.serialize());
    // Every plugin with config declares it.
    for (const key of ['contest', 'deployment', 'gateway', 'observability']) {
      expect(serialized).toContain(`"${key}"`);
    }
  });
});
