import {
  createHash,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import { isChallengeEntity } from '@flagstage/plugin-challenge-common';
import type { BuildView, JobQueue } from '@flagstage/plugin-deployment-common';
import { BuildStore, buildView } from '../database/BuildStore';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Challenge image builds: request (a QUEUED row and a `build` job), claim by
 * the worker (QUEUED → RUNNING, mints the single-use callback token and
 * returns it once), the workflow's exit-handler callback (token checked in
 * constant time, RUNNING → SUCCEEDED or FAILED), and failures the worker
 * reports (e.g. no Kubernetes driver).
 */
export class BuildService {
  constructor(
    private readonly store: BuildStore,
    private readonly queue: JobQueue,
    private readonly loadEntity: (ref: string) => Promise<Entity | undefined>,
    private readonly callbackBaseUrl: () => Promise<string>,
    private readonly logger: LoggerService,
  ) {}

  async request(challengeRef: string, requestedBy: string): Promise<BuildView> {
    const entity = await this.loadEntity(challengeRef);
    if (!entity || !isChallengeEntity(entity))
      throw new NotFoundError(`No challenge ${challengeRef} in the catalog`);
    if (!entity.spec.runtime?.build)
      throw new InputError(
        `${challengeRef} has no spec.runtime.build: there is nothing to build`,
      );
    const row = await this.store.create(challengeRef, requestedBy);
    try {
      await this.queue.publish(
        {
          jobId: randomUUID(),
          action: 'build',
          instanceId: row.id,
          contestId: '',
          teamId: '',
          challengeRef,
          requestedAt: new Date().toISOString(),
        },
        { expiresInMs: 30 * 60_000 },
      );
    } catch (e) {
      await this.store.transition(row.id, ['QUEUED'], 'FAILED', {
        message: 'the build could not be queued',
      });
      throw e;
    }
    this.logger.info('Build requested', { buildId: row.id, challengeRef });
    return buildView(row);
  }

  async list(challengeRef: string): Promise<BuildView[]> {
    return (await this.store.list(challengeRef)).map(buildView);
  }

  /**
   * The worker takes a QUEUED build: RUNNING, with a fresh callback token
   * returned this once (only its hash is stored).
   */
  async claim(
    id: string,
    workflow: string,
  ): Promise<{ token: string; callbackUrl: string; challengeRef: string }> {
    const token = randomBytes(32).toString('base64url');
    const row = await this.store.transition(id, ['QUEUED'], 'RUNNING', {
      workflow,
      token_hash: sha256(token),
    });
    if (!row) {
      const current = await this.store.get(id);
      throw new ConflictError(`build ${id} is ${current.status}`);
    }
    return {
      token,
      callbackUrl: `${await this.callbackBaseUrl()}/builds/${encodeURIComponent(
        id,
      )}/callback`,
      challengeRef: row.challenge_ref,
    };
  }

  async fail(id: string, reason: string): Promise<BuildView | undefined> {
    const row = await this.store.transition(
      id,
      ['QUEUED', 'RUNNING'],
      'FAILED',
      {
        message: reason.slice(0, 1000),
      },
    );
    return row && buildView(row);
  }

  /** The exit handler's report. The token is single use. */
  async callback(
    id: string,
    token: string | undefined,
    report: { status: string; image?: string; workflow?: string },
  ): Promise<BuildView> {
    const row = await this.store.get(id).catch(() => undefined);
    // Same answer for an unknown build, a finished one and a wrong token.
    const expected = Buffer.from(
      row?.token_hash ?? sha256(randomUUID()),
      'hex',
    );
    const given = Buffer.from(sha256(token ?? ''), 'hex');
    if (!row || !row.token_hash || !timingSafeEqual(expected, given))
      throw new AuthenticationError('invalid build callback token');
    const ok = report.status === 'Succeeded';
    const done = await this.store.transition(
      id,
      ['RUNNING'],
      ok ? 'SUCCEEDED' : 'FAILED',
      {
        image: ok ? report.image ?? row.image : row.image,
        message: ok ? null : `the build workflow ended ${report.status}`,
      },
    );
    if (!done) throw new ConflictError(`build ${id} already finished`);
    this.logger.info('Build finished', { buildId: id, status: done.status });
    return buildView(done);
  }
}
