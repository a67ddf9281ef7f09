/**
 * Loki `query_range` answers, in the shapes Loki 3.x gives them (a streams
 * result with its stats summary, trimmed), and its error bodies: plain text
 * for a LogQL parse error (HTTP 400) and for an internal error (HTTP 500).
 */
const stats = {
  summary: {
    bytesProcessedPerSecond: 1520,
    linesProcessedPerSecond: 40,
    totalBytesProcessed: 380,
    totalLinesProcessed: 10,
    execTime: 0.25,
    queueTime: 0.001,
    subqueries: 0,
    totalEntriesReturned: 3,
    splits: 1,
    shards: 1,
  },
};

export const challengeLabels = {
  namespace: 'fs-i1',
  instance: 'i1',
  team: 't1',
  challenge: 'web',
  pod: 'challenge-abcde',
  container: 'challenge',
};

export const gatewayLabels = {
  namespace: 'flagstage',
  team: 't1',
  challenge: 'web',
  pod: 'gateway-7d9f-xk2',
  container: 'gateway',
};

/** Two streams, each newest first (as Loki orders a backward query). */
export const streamsBackward = {
  status: 'success',
  data: {
    resultType: 'streams',
    result: [
      {
        stream: challengeLabels,
        values: [
          ['1772366400000000300', 'GET /flag 403'],
          ['1772366400000000100', 'GET / 200'],
        ],
      },
      {
        stream: gatewayLabels,
        values: [
          [
            '1772366400000000200',
            '{"level":"info","message":"request","route":"/","status":200}',
          ],
        ],
      },
    ],
    stats,
  },
};

export const empty = {
  status: 'success',
  data: { resultType: 'streams', result: [], stats },
};

export const parseError =
  'parse error at line 1, col 8: syntax error: unexpected IDENTIFIER, expecting = or =~ or != or !~';

export const internalError =
  'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial tcp 10.42.0.17:9095: connect: connection refused"';
