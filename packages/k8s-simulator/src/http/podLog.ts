import { KubeSimulatorError, notFound } from '../KubeSimulatorError';

/**
 * The `log` subresource of a pod as the API server answers it: text/plain;
 * `container` is required when the pod has several (400 otherwise, as is an
 * unknown one); `tailLines` keeps the last lines and `limitBytes` cuts the
 * answer. `sinceSeconds`, `timestamps`, `previous` and `follow` are accepted
 * and ignored: no container runs, so the simulator keeps no line times.
 */
export function podLogBody(
  pod: any,
  name: string,
  q: URLSearchParams,
  textOf: (podUid: string, container: string) => string,
): Buffer {
  if (!pod) throw notFound('pods', name);
  const container = containerOf(pod, name, q.get('container') ?? '');
  const tailLines = nonNegative(q, 'tailLines');
  const limitBytes = nonNegative(q, 'limitBytes');
  let text = textOf(pod.metadata.uid, container);
  if (tailLines !== undefined) {
    const lines = text.split('\n');
    // A final newline ends the last line; it does not start another one.
    if (lines[lines.length - 1] === '') lines.pop();
    text = lines
      .slice(Math.max(0, lines.length - tailLines))
      .map(l => `${l}\n`)
      .join('');
  }
  const body = Buffer.from(text, 'utf8');
  return limitBytes === undefined ? body : body.subarray(0, limitBytes);
}

function containerOf(pod: any, name: string, asked: string): string {
  const names = (list: { name: string }[] | undefined) =>
    (list ?? []).map(c => c.name);
  const main = names(pod.spec?.containers);
  const all = [...names(pod.spec?.initContainers), ...main];
  let container = asked;
  if (!container) {
    if (main.length !== 1)
      throw new KubeSimulatorError(
        400,
        'BadRequest',
        `a container name must be specified for pod ${name}, choose one of: [${main.join(
          ' ',
        )}]`,
      );
    container = main[0];
  }
  if (!all.includes(container))
    throw new KubeSimulatorError(
      400,
      'BadRequest',
      `container ${container} is not valid for pod ${name}`,
    );
  return container;
}

function nonNegative(q: URLSearchParams, param: string) {
  const raw = q.get(param);
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw))
    throw new KubeSimulatorError(
      400,
      'BadRequest',
      `${param}: Invalid value: "${raw}"`,
    );
  return Number(raw);
}
