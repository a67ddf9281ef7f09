/**
 * Integration-test plumbing for Flagstage: real PostgreSQL, Redis and RabbitMQ
 * from env with the machine defaults; skip outside CI, fail in CI.
 *
 * @packageDocumentation
 */
export * from './services';
export * from './databases';
export * from './amqp';
export * from './cache';
export * from './migrations';
export * from './ports';
