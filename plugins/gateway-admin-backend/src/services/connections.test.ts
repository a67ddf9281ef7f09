import type { GatewayConnectionsReport } from '@flagstage/plugin-gateway-common';
import { mergeReports, parseReport, rankTalkers } from './connections';

const PREFIX = 'flagstage:gateway:connections:';

function conn(
  id: string,
  iid: string,
  team: string,
  bytesIn: number,
  bytesOut: number,
) {
  return {
    id,
    proto: 'tcp' as const,
    iid,
    team,
    chal: `chal-of-${iid}`,
    clientIp: '10.0.0.1',
    tokenId: 'a'.repeat(32),
    since: '2026-11-22T12:00:00.000Z',
    bytesIn,
    bytesOut,
  };
}

describe('connection reports', () => {
  it('parses a contract report, names the replica and drops malformed entries', () => {
    const report: GatewayConnectionsReport = {
      replica: 'gw-a',
      at: '2026-11-22T12:00:05.000Z',
      connections: [conn('c1', 'i1', 't1', 10, 20)],
    };
    const parsed = parseReport(
      `${PREFIX}gw-a`,
      JSON.stringify({
        ...report,
        connections: [...report.connections, { id: 'broken' }],
      }),
      PREFIX,
    );
    expect(parsed).toEqual({
      replica: 'gw-a',
      at: report.at,
      connections: [{ ...report.connections[0], replica: 'gw-a' }],
      dropped: 1,
    });
    const unnamed = parseReport(
      `${PREFIX}gw-b`,
      JSON.stringify({ at: report.at, connections: [] }),
      PREFIX,
    );
    expect(unnamed?.replica).toBe('gw-b');
    expect(parseReport(`${PREFIX}x`, 'not json', PREFIX)).toBeUndefined();
    expect(parseReport(`${PREFIX}x`, '{"at":1}', PREFIX)).toBeUndefined();
  });

  it('merges replicas busiest first and filters by instance and team', () => {
    const a = parseReport(
      `${PREFIX}gw-a`,
      JSON.stringify({
        replica: 'gw-a',
        at: 'x',
        connections: [
          conn('c1', 'i1', 't1', 1, 1),
          conn('c2', 'i2', 't2', 50, 50),
        ],
      }),
      PREFIX,
    )!;
    const b = parseReport(
      `${PREFIX}gw-b`,
      JSON.stringify({
        replica: 'gw-b',
        at: 'y',
        connections: [conn('c3', 'i1', 't1', 10, 0)],
      }),
      PREFIX,
    )!;
    const all = mergeReports([b, a], {});
    expect(all.replicas).toEqual([
      { replica: 'gw-a', at: 'x', connections: 2 },
      { replica: 'gw-b', at: 'y', connections: 1 },
    ]);
    expect(all.connections.map(c => [c.id, c.replica])).toEqual([
      ['c2', 'gw-a'],
      ['c3', 'gw-b'],
      ['c1', 'gw-a'],
    ]);
    expect(
      mergeReports([a, b], { instance: 'i1' }).connections.map(c => c.id),
    ).toEqual(['c3', 'c1']);
    expect(
      mergeReports([a, b], { team: 't2' }).connections.map(c => c.id),
    ).toEqual(['c2']);
    expect(
      mergeReports([a, b], { team: 't2', instance: 'i1' }).connections,
    ).toEqual([]);
  });

  it('ranks teams and instances by bytes in + out', () => {
    const connections = [
      conn('c1', 'i1', 't1', 100, 0),
      conn('c2', 'i2', 't1', 0, 100),
      conn('c3', 'i3', 't2', 150, 0),
      conn('c4', 'i4', 't3', 1, 1),
    ].map(c => ({ ...c, replica: 'r' }));
    const ranked = rankTalkers(connections, 2);
    expect(ranked.teams).toEqual([
      {
        team: 't1',
        bytesIn: 100,
        bytesOut: 100,
        bytes: 200,
        connections: 2,
        instances: 2,
      },
      {
        team: 't2',
        bytesIn: 150,
        bytesOut: 0,
        bytes: 150,
        connections: 1,
        instances: 1,
      },
    ]);
    expect(ranked.instances.map(i => [i.iid, i.bytes])).toEqual([
      ['i3', 150],
      ['i1', 100],
    ]);
    expect(ranked.instances[0]).toMatchObject({
      team: 't2',
      chal: 'chal-of-i3',
    });
  });
});
