import { InputError } from '@backstage/errors';
import { buildLogQuery, escapeLogQLString } from './logQuery';

describe('buildLogQuery', () => {
  it('builds label matchers in a fixed order and a literal line filter', () => {
    expect(
      buildLogQuery({
        challenge: 'web-1',
        team: 'a1b2c3',
        instance: 'i-123',
        namespace: 'fs-i-123',
        contains: 'GET /flag',
      }),
    ).toBe(
      '{namespace="fs-i-123", flagstage_instance="i-123", flagstage_team="a1b2c3", flagstage_challenge="web-1"} |= "GET /flag"',
    );
    expect(
      buildLogQuery({ team: '9f1c2d3e-0000-4000-8000-000000000001' }),
    ).toBe('{flagstage_team="9f1c2d3e-0000-4000-8000-000000000001"}');
    // An empty contains is no filter.
    expect(buildLogQuery({ challenge: 'Web_2.x', contains: '' })).toBe(
      '{flagstage_challenge="Web_2.x"}',
    );
  });

  it('escapes backslash and quote in the line filter, so user text stays one string literal', () => {
    expect(
      buildLogQuery({ team: 't1', contains: 'a "quoted" C:\\path\\' }),
    ).toBe('{flagstage_team="t1"} |= "a \\"quoted\\" C:\\\\path\\\\"');
    // An attempt to close the literal and add a stage stays inside the literal.
    expect(buildLogQuery({ team: 't1', contains: '" | line_format "x' })).toBe(
      '{flagstage_team="t1"} |= "\\" | line_format \\"x"',
    );
    expect(escapeLogQLString('\\"')).toBe('\\\\\\"');
  });

  it.each([
    [{ team: 't1"}' }, /team must be a Kubernetes label value/],
    [{ team: 'a'.repeat(64) }, /team must be/],
    [{ challenge: '-web' }, /challenge must be/],
    [{ challenge: 'web app' }, /challenge must be/],
    [{ namespace: 'FS-1' }, /namespace must be a DNS-1123 label/],
    [{ namespace: 'fs_1' }, /namespace must be/],
    [{ namespace: 'a'.repeat(64) }, /namespace must be/],
    [{ instance: 'I1' }, /instance must be/],
    [{ instance: 'a'.repeat(58) }, /instance must be/],
    [{ team: 't1', contains: 'two\nlines' }, /contains must be/],
    [{ team: 't1', contains: 'x'.repeat(257) }, /contains must be/],
    [{}, /at least one of team, challenge, namespace or instance/],
    [{ contains: 'error' }, /at least one of/],
  ])('refuses %j', (filter, message) => {
    expect(() => buildLogQuery(filter)).toThrow(InputError);
    expect(() => buildLogQuery(filter)).toThrow(message);
  });

  it('accepts the longest valid names', () => {
    expect(buildLogQuery({ instance: 'a'.repeat(57) })).toContain(
      `flagstage_instance="${'a'.repeat(57)}"`,
    );
    expect(buildLogQuery({ namespace: 'a'.repeat(63) })).toContain(
      `namespace="${'a'.repeat(63)}"`,
    );
  });
});
