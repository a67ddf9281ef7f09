import type http from 'node:http';
import { KubeSimulatorError } from '../KubeSimulatorError';

/** Records one served request (`KubeSimulator.requests`). */
export type RecordRequest = (entry: {
  method: string;
  path: string;
  status: number;
}) => void;

/** Answers a JSON body and records the request. */
export function sendJson(
  record: RecordRequest,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  code: number,
  body: unknown,
) {
  record({ method: req.method ?? '', path: req.url ?? '', status: code });
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Answers a failure `Status` object, as the API server does. */
export function sendStatus(
  record: RecordRequest,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  code: number,
  reason: string,
  message: string,
) {
  sendJson(record, req, res, code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}

/** The request body as JSON (`{}` when empty); 400 when it is not JSON. */
export async function readJsonBody(req: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new KubeSimulatorError(400, 'BadRequest', 'the body is not JSON');
  }
}
