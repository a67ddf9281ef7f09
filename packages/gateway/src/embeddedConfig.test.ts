import { randomBytes } from 'node:crypto';
import { ConfigReader } from '@backstage/config';
import { embeddedGatewayConfig } from './embeddedConfig';

const secret = randomBytes(32);
const keys = [{ kid: 'dev-1', secret: secret.toString('base64') }];

describe('embeddedGatewayConfig', () => {
  it('is undefined unless gateway.embedded.enabled is true', () => {
    expect(embeddedGatewayConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      embeddedGatewayConfig(
        new ConfigReader({ gateway: { embedded: { enabled: false } } }),
      ),
    ).toBeUndefined();
  });

  it('serves on loopback with the deployment keys and gateway-admin Redis', () => {
    const config = embeddedGatewayConfig(
      new ConfigReader({
        gateway: {
          embedded: { enabled: true, httpPort: 18080, domain: 'GW.test' },
        },
        deployment: { gateway: { keys } },
        gatewayAdmin: {
          redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'ctf:' },
        },
      }),
    );
    expect(config).toMatchObject({
      httpHost: '127.0.0.1',
      httpPort: 18080,
      tcpPort: 8081,
      adminPort: 9091,
      domain: 'gw.test',
      replica: 'embedded',
      redisUrl: 'redis://127.0.0.1:6379',
      redisKeyPrefix: 'ctf:',
      drainSeconds: 1,
      keys: [{ kid: 'dev-1', secret }],
      mode: 'development',
      allowedTargets: { cidrs: [], hosts: [], loopbackPorts: [[32768, 65535]] },
    });
  });

  it('takes its target allowlist from gateway.embedded.allowedTargets', () => {
    const config = embeddedGatewayConfig(
      new ConfigReader({
        gateway: {
          embedded: {
            enabled: true,
            allowedTargets: {
              cidrs: ['10.0.0.0/8'],
              loopbackPorts: ['4000-4100', '5000'],
            },
          },
        },
        deployment: { gateway: { keys } },
      }),
    );
    expect(config?.allowedTargets).toEqual({
      cidrs: ['10.0.0.0/8'],
      hosts: [],
      loopbackPorts: [
        [4000, 4100],
        [5000, 5000],
      ],
    });
  });

  it('refuses the committed development key when the backend runs as production', () => {
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() =>
        embeddedGatewayConfig(
          new ConfigReader({
            gateway: { embedded: { enabled: true } },
            deployment: {
              gateway: {
                keys: [
                  {
                    kid: 'dev-1',
                    secret: '8bTVRxTtA2M4t3iKGquykD1PTNQhxkodRK/GKQw73TA=',
                  },
                ],
              },
            },
          }),
        ),
      ).toThrow(/development key/);
    } finally {
      process.env.NODE_ENV = env;
    }
  });
});
