import type { Access } from '@flagstage/plugin-deployment-worker/src/k8s/__testUtils__/rbac';

/**
 * A request the Kubernetes API simulator served (`sim.requests`: method,
 * path with query, status), as the RBAC access it needs: verb, API group,
 * resource (with subresource) and namespace.
 */
export function accessOf(request: {
  method: string;
  path: string;
}): Access & { path: string } {
  const url = new URL(request.path, 'http://sim');
  const parts = url.pathname.split('/').filter(Boolean);
  let group = '';
  let rest: string[];
  if (parts[0] === 'api') rest = parts.slice(2);
  else if (parts[0] === 'apis') {
    group = parts[1];
    rest = parts.slice(3);
  } else throw new Error(`not an API path: ${request.path}`);
  let namespace: string | undefined;
  // /namespaces/{ns}/{plural}…; /namespaces[/{name}] is the namespace object itself.
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, sub] = rest;
  const resource = sub ? `${plural}/${sub}` : plural;
  const watch =
    request.method === 'WATCH' || url.searchParams.get('watch') === 'true';
  const verbs: Record<string, string> = {
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: name ? 'delete' : 'deletecollection',
  };
  let verb = verbs[request.method];
  if (!verb && watch) verb = 'watch';
  if (!verb) verb = name ? 'get' : 'list';
  return { verb, group, resource, namespace, path: request.path };
}

/** `verb group/resource [in namespace]`, for messages and sets. */
export const describeAccess = (a: Access) =>
  `${a.verb} ${a.group ? `${a.group}/` : ''}${a.resource}${
    a.namespace ? ` in ${a.namespace}` : ' (cluster)'
  }`;
