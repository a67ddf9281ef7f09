import Redis from 'ioredis';
import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type LoggerService,
} from '@backstage/backend-plugin-api';
import {
  GATEWAY_REDIS,
  type GatewayChangeEvent,
} from '@flagstage/plugin-gateway-common';

/**
 * Tells every Challenge Gateway that an instance is gone, so its tokens
 * (links, cookies, TCP tokens) are refused before they expire: a stopped
 * instance's port or Service name may soon serve another team.
 *
 * @public
 */
export interface GatewayInstanceRevocations {
  /** Refuses the instance's tokens until `untilMs` (Unix ms: when its last token expires). */
  instanceStopped(instanceId: string, untilMs: number): Promise<void>;
  /** In-process listeners: a gateway embedded in this backend. */
  onInstanceStopped(
    listener: (instanceId: string, untilMs: number) => void,
  ): void;
}

/**
 * Publishes through the gateway Redis contract (`stoppedInstancesKey`, then a
 * `revocations` change event) when Redis is configured, and always to the
 * in-process listeners. A Redis failure is logged, never thrown: stopping an
 * instance does not wait on the gateways.
 *
 * @public
 */
export class GatewayInstanceRevocationsPublisher
  implements GatewayInstanceRevocations
{
  private readonly listeners: Array<(iid: string, untilMs: number) => void> =
    [];
  private readonly client?: Redis;

  constructor(
    private readonly options: {
      logger: LoggerService;
      redisUrl?: string;
      keyPrefix?: string;
    },
  ) {
    if (options.redisUrl)
      this.client = new Redis(options.redisUrl, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
      });
    this.client?.on('error', () => {});
  }

  onInstanceStopped(listener: (iid: string, untilMs: number) => void) {
    this.listeners.push(listener);
  }

  async instanceStopped(instanceId: string, untilMs: number) {
    for (const listener of this.listeners) listener(instanceId, untilMs);
    if (!this.client) return;
    const prefix = this.options.keyPrefix ?? '';
    const key = prefix + GATEWAY_REDIS.stoppedInstancesKey;
    const event: GatewayChangeEvent = { type: 'revocations' };
    try {
      if (this.client.status === 'wait') await this.client.connect();
      await this.client
        .multi()
        .zadd(key, untilMs, instanceId)
        .zremrangebyscore(key, '-inf', Date.now())
        .publish(prefix + GATEWAY_REDIS.changesChannel, JSON.stringify(event))
        .exec();
    } catch (e) {
      this.options.logger.warn(
        'Could not publish a stopped instance to the gateways',
        { instanceId, reason: String(e) },
      );
    }
  }

  async close() {
    this.client?.disconnect();
  }
}

/**
 * The backend's one {@link GatewayInstanceRevocations}: Redis from
 * `gatewayAdmin.redis` (the gateways' Redis), plus in-process listeners.
 *
 * @public
 */
export const gatewayInstanceRevocationsServiceRef =
  createServiceRef<GatewayInstanceRevocations>({
    id: 'flagstage.gateway.instance-revocations',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.rootLogger,
          lifecycle: coreServices.rootLifecycle,
        },
        factory({ config, logger, lifecycle }) {
          const publisher = new GatewayInstanceRevocationsPublisher({
            logger,
            redisUrl: config.getOptionalString('gatewayAdmin.redis.url'),
            keyPrefix: config.getOptionalString('gatewayAdmin.redis.keyPrefix'),
          });
          lifecycle.addShutdownHook(() => publisher.close());
          return publisher;
        },
      }),
  });
