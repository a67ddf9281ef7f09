import { ConfigReader } from '@backstage/config';
import { readDeploymentConfig } from './config';

const key = { kid: 'k', secret: Buffer.alloc(32, 1).toString('base64') };

describe('deployment config', () => {
  it('applies defaults that agree with each other', () => {
    const c = readDeploymentConfig(
      new ConfigReader({ deployment: { gateway: { keys: [key] } } }),
    );
    expect(c.instanceTtlSeconds).toBe(3600);
    expect(c.queue.expirySeconds).toBe(120);
    expect(c.maxActivePerTeam).toBe(3);
  });

  it.each([
    [
      { queue: { expirySeconds: 4000 } },
      /queue.expirySeconds \(4000\) must be shorter than deployment.instanceTtlSeconds \(3600\)/,
    ],
    [
      { cacheTtlSeconds: 300 },
      /cacheTtlSeconds \(300\) must be shorter than deployment.queue.expirySeconds/,
    ],
    [
      { workflow: { ttlSeconds: 3600 } },
      /workflow.ttlSeconds \(3600\) must be at least .* \(7320\)/,
    ],
    [{ extend: { windowMinutes: 90 } }, /extend.windowMinutes \(90\)/],
    [
      { gateway: { keys: [{ kid: 'short', secret: 'c2hvcnQ=' }] } },
      /secret of "short" must be at least 32 bytes/,
    ],
  ])('refuses contradictions: %o', (override, message) => {
    expect(() =>
      readDeploymentConfig(
        new ConfigReader({
          deployment: { gateway: { keys: [key] }, ...override },
        }),
      ),
    ).toThrow(message);
  });
});
