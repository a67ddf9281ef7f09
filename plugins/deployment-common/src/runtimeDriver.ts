/**
 * What a runtime driver needs to start one instance.
 *
 * @public
 */
export type RuntimeStartRequest = {
  instanceId: string;
  contestId: string;
  teamId: string;
  /** Challenge entity ref and name. */
  challengeRef: string;
  challengeName: string;
  /** `spec.runtime` of the Challenge entity. */
  runtime: {
    protocol: 'http' | 'tcp';
    port: number;
    ttlSeconds?: number;
    local?: { command: string[]; cwd?: string };
    [key: string]: unknown;
  };
  /** Folder of the challenge package (local driver), if known. */
  packageDir?: string;
  /** Environment for the instance: FLAG for dynamic-flag challenges. */
  env: Record<string, string>;
  /** ISO time the instance must be gone by. */
  expiresAt: string;
  traceparent?: string;
};

/**
 * Where the gateway reaches an instance. `ready: false` means the runtime
 * was submitted but is not reachable yet (the Kubernetes driver): the
 * instance stays DEPLOYING and the pod listener moves it to RUNNING.
 *
 * @public
 */
export type RuntimeEndpoint = { target: string; ready?: boolean };

/** What a driver observes about an instance. @public */
export type RuntimeObservation =
  | { state: 'starting' }
  | { state: 'running'; endpoint: RuntimeEndpoint }
  | { state: 'stopped' }
  | { state: 'failed'; reason: string };

/**
 * A runtime driver: the local driver (child processes) for the embedded
 * default, the Kubernetes + Argo driver in production. `start` must be
 * idempotent per instance id (a redelivered job cannot start a second
 * runtime).
 *
 * @public
 */
export interface RuntimeDriver {
  readonly name: string;
  /** Starts (or finds) the runtime; resolves when it is reachable (or, with `ready: false`, submitted), with its endpoint. */
  start(request: RuntimeStartRequest): Promise<RuntimeEndpoint>;
  /** Stops and removes the runtime; resolves once nothing is left running. Idempotent. */
  stop(instanceId: string): Promise<void>;
  observe(instanceId: string): Promise<RuntimeObservation>;
  /** Captured output lines (local driver) for the logs view. */
  output?(instanceId: string, options?: { tail?: number }): Promise<string[]>;
}
