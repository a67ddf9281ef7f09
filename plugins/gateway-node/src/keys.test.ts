import { randomBytes } from 'node:crypto';
import { isDevelopmentGatewayKey, parseGatewayKeys } from './keys';

describe('parseGatewayKeys', () => {
  it('parses kid:base64secret pairs, in order', () => {
    const a = randomBytes(32);
    const b = randomBytes(48);
    expect(
      parseGatewayKeys(
        `new:${a.toString('base64')}, old:${b.toString('base64')}`,
      ),
    ).toEqual([
      { kid: 'new', secret: a },
      { kid: 'old', secret: b },
    ]);
    expect(parseGatewayKeys(undefined)).toEqual([]);
    expect(parseGatewayKeys('')).toEqual([]);
  });

  it('refuses pairs without a kid and secrets shorter than 32 bytes', () => {
    expect(() => parseGatewayKeys('no-colon')).toThrow(
      'GATEWAY_KEYS: expected kid:base64secret pairs',
    );
    expect(() =>
      parseGatewayKeys(`k:${randomBytes(16).toString('base64')}`),
    ).toThrow('GATEWAY_KEYS: the secret of "k" is shorter than 32 bytes');
  });
});

describe('isDevelopmentGatewayKey', () => {
  it('recognises the committed development key only', () => {
    const [dev] = parseGatewayKeys(
      'dev-1:8bTVRxTtA2M4t3iKGquykD1PTNQhxkodRK/GKQw73TA=',
    );
    expect(isDevelopmentGatewayKey(dev)).toBe(true);
    expect(isDevelopmentGatewayKey({ secret: randomBytes(32) })).toBe(false);
  });
});
