import {
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { LoggerService } from '@backstage/backend-plugin-api';

export type ResilientInformer<T extends KubernetesObject> = Informer<T> &
  ObjectCache<T> & {
    /** Resolves once the first list has filled the cache. */
    synced(): Promise<void>;
  };

/**
 * client-node's informer relists by itself after a 410 Gone, but stops for
 * good on any other error (API server down, 500s, a dropped connection).
 * This one restarts after a back-off (1 s doubling to 30 s) until stopped.
 */
export function resilientInformer<T extends KubernetesObject>(options: {
  kubeConfig: KubeConfig;
  path: string;
  list: () => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  logger: LoggerService;
  what: string;
}): ResilientInformer<T> {
  const informer = makeInformer<T>(
    options.kubeConfig,
    options.path,
    options.list,
    options.labelSelector,
  );
  let stopped = false;
  let delay = 1000;
  let timer: NodeJS.Timeout | undefined;
  let firstSync: Promise<void> | undefined;
  informer.on('connect', () => {
    delay = 1000;
  });
  informer.on('error', err => {
    if (stopped) return;
    options.logger.warn(
      `Kubernetes watch of ${options.what} failed; retrying`,
      {
        error: String((err as Error)?.message ?? err),
        retryInMs: delay,
      },
    );
    timer = setTimeout(() => {
      if (!stopped) informer.start().catch(() => {});
    }, delay);
    timer.unref?.();
    delay = Math.min(delay * 2, 30_000);
  });
  const start = informer.start.bind(informer);
  const stop = informer.stop.bind(informer);
  return Object.assign(informer, {
    async start() {
      stopped = false;
      firstSync = start();
      await firstSync;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await stop();
    },
    async synced() {
      await firstSync;
    },
  });
}
