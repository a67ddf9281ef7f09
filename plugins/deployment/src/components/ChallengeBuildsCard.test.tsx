import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { mockApis } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { BuildView } from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import {
  build,
  fakeApi,
  renderSettled,
  responseError,
} from '../__testUtils__/fakes';
import { ChallengeBuildsCard } from './ChallengeBuildsCard';

const REF = 'challenge:default/web-cookie-jar';

function challenge(spec: Entity['spec']): Entity {
  return {
    apiVersion: 'flagstage.io/v1alpha1',
    kind: 'Challenge',
    // Mixed case on purpose: the ref sent is the normalised one.
    metadata: { name: 'Web-Cookie-Jar', namespace: 'default' },
    spec,
  };
}

const BUILDABLE = challenge({
  type: 'instanced',
  runtime: { build: { context: '.', dockerfile: 'Dockerfile' } },
});

function render(
  api: ReturnType<typeof fakeApi>,
  entity: Entity = BUILDABLE,
  refreshMs = 60_000,
) {
  return renderSettled(
    <EntityProvider entity={entity}>
      <ChallengeBuildsCard refreshMs={refreshMs} />
    </EntityProvider>,
    {
      apis: [
        [deploymentApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    },
  );
}

const buildButton = () => screen.getByRole('button', { name: 'Build image' });

const sleep = (ms: number) =>
  act(() => new Promise<void>(r => setTimeout(r, ms)));

describe('ChallengeBuildsCard', () => {
  it('lists the challenge’s builds, newest first as the backend sends them', async () => {
    const failed = build({
      id: 'b2',
      status: 'FAILED',
      image: null,
      workflow: 'build-b2',
      message: 'the build workflow ended Failed',
      requestedBy: 'user:default/alice',
      createdAt: '2026-11-22T12:10:00.000Z',
      finishedAt: '2026-11-22T12:12:00.000Z',
    });
    const ok = build({
      id: 'b1',
      status: 'SUCCEEDED',
      image: 'registry.local/web-cookie-jar:b1',
      workflow: 'build-b1',
      requestedBy: 'user:default/bob',
      createdAt: '2026-11-22T12:00:00.000Z',
      finishedAt: '2026-11-22T12:03:00.000Z',
    });
    const api = fakeApi({
      listBuilds: jest.fn(async () => ({ items: [failed, ok] })),
    });
    await render(api);
    expect(api.listBuilds).toHaveBeenCalledWith(REF);

    const table = await screen.findByRole('table', { name: 'builds' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(
      rows.map(r => within(r).getByTestId('build-status').textContent),
    ).toEqual(['FAILED', 'SUCCEEDED']);
    expect(rows[0]).toHaveTextContent('build-b2');
    expect(rows[0]).toHaveTextContent('the build workflow ended Failed');
    expect(rows[0]).toHaveTextContent('user:default/alice');
    expect(rows[0]).toHaveTextContent(
      new Date('2026-11-22T12:12:00.000Z').toLocaleString(),
    );
    expect(rows[1]).toHaveTextContent('registry.local/web-cookie-jar:b1');
    expect(rows[1]).toHaveTextContent('user:default/bob');
    expect(rows[1]).toHaveTextContent(
      new Date('2026-11-22T12:00:00.000Z').toLocaleString(),
    );
    // Nothing in progress: building is possible.
    await waitFor(() => expect(buildButton()).toBeEnabled());
  });

  it('explains the empty state', async () => {
    await render(fakeApi());
    expect(
      await screen.findByText(
        'No builds yet. Builds need the Kubernetes driver (deploymentWorker.driver: kubernetes) and a registry.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'builds' })).toBeNull();
  });

  it('starts a build, then shows it from the refreshed list and disables the button', async () => {
    let items: BuildView[] = [];
    const api = fakeApi({
      listBuilds: jest.fn(async () => ({ items })),
      startBuild: jest.fn(async (challengeRef: string) => {
        const queued = build({
          id: 'b9',
          challengeRef,
          status: 'QUEUED',
          image: null,
          workflow: null,
          finishedAt: null,
        });
        items = [queued];
        return queued;
      }),
    });
    await render(api);
    await screen.findByText(/^No builds yet/);
    await waitFor(() => expect(buildButton()).toBeEnabled());

    await userEvent.click(buildButton());
    expect(api.startBuild).toHaveBeenCalledWith(REF);
    expect(await screen.findByText('Build b9 queued.')).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'builds' });
    expect(within(table).getByTestId('build-status')).toHaveTextContent(
      'QUEUED',
    );
    expect(api.listBuilds).toHaveBeenCalledTimes(2);
    // One build at a time per challenge.
    expect(buildButton()).toBeDisabled();
  });

  it('shows the backend’s refusal when a build is already active (409)', async () => {
    const message = `${REF} is already being built; wait for that build to finish`;
    const api = fakeApi({
      startBuild: jest.fn(async () => {
        throw await responseError(409, 'ConflictError', message);
      }),
    });
    await render(api);
    await waitFor(() => expect(buildButton()).toBeEnabled());
    await userEvent.click(buildButton());
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(message);
    // The list is reloaded: the conflicting build shows up there.
    expect(api.listBuilds).toHaveBeenCalledTimes(2);
  });

  it('polls while a build is QUEUED or RUNNING and stops once it ends', async () => {
    let items = [
      build({ id: 'b3', status: 'RUNNING', image: null, finishedAt: null }),
    ];
    const api = fakeApi({ listBuilds: jest.fn(async () => ({ items })) });
    await render(api, BUILDABLE, 50);
    const table = await screen.findByRole('table', { name: 'builds' });
    expect(within(table).getByTestId('build-status')).toHaveTextContent(
      'RUNNING',
    );
    expect(buildButton()).toBeDisabled();

    items = [build({ id: 'b3', status: 'SUCCEEDED' })];
    await waitFor(() =>
      expect(
        within(screen.getByRole('table', { name: 'builds' })).getByTestId(
          'build-status',
        ),
      ).toHaveTextContent('SUCCEEDED'),
    );
    await waitFor(() => expect(buildButton()).toBeEnabled());
    await sleep(100);
    const calls = api.listBuilds.mock.calls.length;
    await sleep(300);
    expect(api.listBuilds).toHaveBeenCalledTimes(calls);
  });

  it('does not poll when no build is in progress', async () => {
    const api = fakeApi({
      listBuilds: jest.fn(async () => ({ items: [build()] })),
    });
    await render(api, BUILDABLE, 50);
    await screen.findByRole('table', { name: 'builds' });
    await sleep(300);
    expect(api.listBuilds).toHaveBeenCalledTimes(1);
  });

  it('shows the backend’s message when the builds cannot be read', async () => {
    const api = fakeApi({
      listBuilds: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'Not allowed: flagstage.challenge.build.read',
        );
      }),
    });
    await render(api);
    expect(
      await screen.findByText(
        'Could not load the builds: Not allowed: flagstage.challenge.build.read',
      ),
    ).toBeInTheDocument();
  });

  it('says so for a challenge without a build section, and asks nothing', async () => {
    const api = fakeApi();
    await render(
      api,
      challenge({ type: 'instanced', runtime: { image: 'nginx:1' } }),
    );
    expect(
      await screen.findByText(/This challenge has no build section/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Build image' })).toBeNull();
    expect(api.listBuilds).not.toHaveBeenCalled();
  });
});
