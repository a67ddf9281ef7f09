import { KINDS, type Kind } from '../kinds';
import { KubeSimulatorError } from '../KubeSimulatorError';

/** What a REST path names. */
export type Route = {
  kind: Kind;
  namespace?: string;
  name?: string;
  subresource?: string;
};

/**
 * Parses `/api/v1/[namespaces/{ns}/]{plural}[/{name}[/{subresource}]]` and
 * `/apis/{group}/{version}/…` the same way; 404 for a group or plural the
 * simulator does not serve.
 */
export function routePath(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const unknown = () =>
    new KubeSimulatorError(
      404,
      'NotFound',
      `the server could not find ${pathname}`,
    );
  let rest: string[];
  let group = '';
  if (parts[0] === 'api' && parts[1] === 'v1') rest = parts.slice(2);
  else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    rest = parts.slice(3);
  } else throw unknown();
  const find = (plural: string) => {
    const info = KINDS[plural as Kind];
    if (!info || info.group !== group) throw unknown();
    return plural as Kind;
  };
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    return {
      kind: find(rest[2]),
      namespace: rest[1],
      name: rest[3],
      subresource: rest[4],
    };
  }
  return { kind: find(rest[0]), name: rest[1], subresource: rest[2] };
}
