import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import type {
  InstanceOutputLine,
  InstanceView,
} from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import { observabilityApiRef } from '@flagstage/plugin-observability-react';
import { rootRouteRef } from '../routes';
import {
  fakeApi,
  instance,
  renderSettled,
  responseError,
} from '../__testUtils__/fakes';
import { InstanceDetail } from './InstanceDetail';
import { InstancesPage } from './InstancesPage';

const TRANSITIONS = [
  {
    from: null,
    to: 'REQUESTED' as const,
    reason: null,
    actor: 'user:default/uiplayer',
    at: '2026-11-22T12:00:00.000Z',
  },
  {
    from: 'REQUESTED' as const,
    to: 'QUEUED' as const,
    reason: null,
    actor: 'deployment-backend',
    at: '2026-11-22T12:00:01.000Z',
  },
  {
    from: 'DEPLOYING' as const,
    to: 'FAILED' as const,
    reason: 'image pull failed',
    actor: 'plugin:deployment-worker',
    at: '2026-11-22T12:00:09.000Z',
  },
];

const OUTPUT: InstanceOutputLine[] = [
  { stream: 'driver', line: 'pulling image', at: '2026-11-22T12:00:02.000Z' },
  {
    stream: 'stdout',
    line: 'listening on :8080',
    at: '2026-11-22T12:00:05.000Z',
  },
  {
    stream: 'stderr',
    line: 'warning: debug on',
    at: '2026-11-22T12:00:06.000Z',
  },
];

function render(
  api: ReturnType<typeof fakeApi>,
  id = 'inst-1',
  refreshMs = 60_000,
) {
  return renderSettled(<InstanceDetail refreshMs={refreshMs} />, {
    apis: [
      [deploymentApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
    mountedRoutes: { '/instances': rootRouteRef },
    mountPath: '/instances/:id',
    initialRouteEntries: [`/instances/${id}`],
  });
}

describe('InstanceDetail', () => {
  it('shows the fields, the timeline and the captured output', async () => {
    const api = fakeApi({
      getInstance: jest.fn(async (id: string) =>
        instance({ id, state: 'FAILED', failureReason: 'image pull failed' }),
      ),
      getTransitions: jest.fn(async () => ({ items: TRANSITIONS })),
      getOutput: jest.fn(async () => ({ items: OUTPUT })),
    });
    await render(api, 'inst-9');
    expect(api.getInstance).toHaveBeenCalledWith('inst-9');
    expect(api.getTransitions).toHaveBeenCalledWith('inst-9');
    expect(api.getOutput).toHaveBeenCalledWith('inst-9', 200);

    const fields = await screen.findByRole('table', {
      name: 'instance fields',
    });
    expect(within(fields).getByText('inst-9')).toBeInTheDocument();
    expect(
      within(fields).getByText(
        'web-cookie-jar (challenge:default/web-cookie-jar)',
      ),
    ).toBeInTheDocument();
    expect(within(fields).getByText('image pull failed')).toBeInTheDocument();

    const timeline = screen.getByRole('table', { name: 'transitions' });
    const rows = within(timeline).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(
      within(rows[0])
        .getAllByTestId('instance-state')
        .map(c => c.textContent),
    ).toEqual(['REQUESTED']);
    expect(rows[0]).toHaveTextContent('∅ →');
    expect(rows[0]).toHaveTextContent('user:default/uiplayer');
    expect(
      within(rows[2])
        .getAllByTestId('instance-state')
        .map(c => c.textContent),
    ).toEqual(['DEPLOYING', 'FAILED']);
    expect(rows[2]).toHaveTextContent('image pull failed');
    expect(rows[2]).toHaveTextContent('plugin:deployment-worker');
    expect(rows[2]).toHaveTextContent(
      new Date('2026-11-22T12:00:09.000Z').toLocaleString(),
    );

    const log = screen.getByRole('log', { name: 'output' });
    const lines = Array.from(log.children) as HTMLElement[];
    expect(lines.map(l => l.dataset.stream)).toEqual([
      'driver',
      'stdout',
      'stderr',
    ]);
    expect(lines[1]).toHaveTextContent('listening on :8080');
    expect(lines[2]).toHaveTextContent('warning: debug on');
    expect(lines[2]).toHaveStyle({ color: '#ff8a80' });

    // A failed instance cannot be stopped or extended.
    expect(
      screen.getByRole('button', { name: /^Stop web-cookie-jar/ }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: /^Extend web-cookie-jar/ }),
    ).toBeDisabled();
  });

  it('shows the start workflow and its nodes when the Kubernetes driver reported one', async () => {
    const api = fakeApi({
      getWorkflow: jest.fn(async () => ({
        workflow: {
          name: 'start-inst-3',
          phase: 'Failed',
          message: 'child failed',
          observedAt: '2026-11-22T12:00:10.000Z',
          nodes: [
            {
              name: 'start-inst-3-1',
              displayName: 'namespace',
              type: 'Pod',
              phase: 'Succeeded',
            },
            {
              name: 'start-inst-3-2',
              displayName: 'job',
              type: 'Pod',
              phase: 'Failed',
              message: 'ErrImagePull',
            },
          ],
        },
      })),
    });
    await render(api, 'inst-3');
    expect(api.getWorkflow).toHaveBeenCalledWith('inst-3');
    const nodes = await screen.findByRole('table', { name: 'workflow nodes' });
    const rows = within(nodes).getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringContaining('namespacePodSucceeded'),
      expect.stringContaining('jobPodFailedErrImagePull'),
    ]);
    expect(screen.getByText(/phase/)).toHaveTextContent(
      'start-inst-3 · phase Failed · child failed',
    );
  });

  it('shows the workflow and challenge pod logs on Kubernetes when the log views are installed', async () => {
    const api = fakeApi({
      getWorkflow: jest.fn(async () => ({
        workflow: {
          name: 'start-inst-4',
          phase: 'Succeeded',
          observedAt: '2026-11-22T12:00:10.000Z',
          nodes: [],
        },
      })),
    });
    const logs = {
      searchLogs: jest.fn(async () => ({
        query: '{flagstage_instance="inst-4"}',
        items: [],
        nextCursor: null,
      })),
      getWorkflowLogs: jest.fn(async () => ({
        workflow: 'start-inst-4',
        namespace: 'argo',
        pods: [
          {
            pod: 'start-inst-4-1',
            container: 'main',
            log: 'namespace created',
          },
        ],
      })),
      getPodLogs: jest.fn(async () => ({
        pod: 'challenge-abcde',
        container: 'challenge',
        namespace: 'fs-inst-4',
        log: 'listening on :8080',
      })),
    };
    await renderSettled(<InstanceDetail refreshMs={60_000} />, {
      apis: [
        [deploymentApiRef, api],
        [observabilityApiRef, logs],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/instances': rootRouteRef },
      mountPath: '/instances/:id',
      initialRouteEntries: ['/instances/inst-4'],
    });
    expect(await screen.findByText(/listening on :8080/)).toBeInTheDocument();
    expect(logs.getPodLogs).toHaveBeenCalledWith('inst-4', expect.anything());
  });

  it('shows no workflow card with the local driver (no workflow reported)', async () => {
    const local = fakeApi();
    await render(local, 'inst-4');
    expect(local.getWorkflow).toHaveBeenCalledWith('inst-4');
    expect(screen.queryByRole('table', { name: 'workflow nodes' })).toBeNull();
  });

  it('keeps refreshing output while active, and stops once the instance ends', async () => {
    let current: InstanceView = instance({ state: 'RUNNING' });
    let lines: InstanceOutputLine[] = [OUTPUT[0]];
    const api = fakeApi({
      getInstance: jest.fn(async () => current),
      getOutput: jest.fn(async () => ({ items: lines })),
    });
    await render(api, 'inst-1', 50);
    await screen.findByText('pulling image');
    lines = [...lines, OUTPUT[1]];
    expect(await screen.findByText('listening on :8080')).toBeInTheDocument();

    current = instance({ state: 'STOPPED' });
    lines = [...lines, { ...OUTPUT[0], line: 'container removed' }];
    // The state change reloads the output once more...
    expect(await screen.findByText('container removed')).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'instance fields' }),
        ).getByTestId('instance-state'),
      ).toHaveTextContent('STOPPED'),
    );
    // ...then polling ends.
    const sleep = (ms: number) =>
      act(() => new Promise<void>(r => setTimeout(r, ms)));
    await sleep(100);
    const calls = [api.getInstance, api.getOutput, api.getTransitions].map(
      m => m.mock.calls.length,
    );
    await sleep(300);
    expect(
      [api.getInstance, api.getOutput, api.getTransitions].map(
        m => m.mock.calls.length,
      ),
    ).toEqual(calls);
  });

  it('stops from the detail after confirmation and reloads the timeline', async () => {
    let current = instance({ id: 'inst-1', state: 'RUNNING' });
    const api = fakeApi({
      getInstance: jest.fn(async () => current),
      stopInstance: jest.fn(async () => {
        current = { ...current, state: 'STOPPING' };
        return current;
      }),
    });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /^Stop web-cookie-jar/ }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Stop instance',
      }),
    );
    expect(api.stopInstance).toHaveBeenCalledWith('inst-1');
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'instance fields' }),
        ).getByTestId('instance-state'),
      ).toHaveTextContent('STOPPING'),
    );
    expect(api.getTransitions.mock.calls.length).toBeGreaterThan(1);
  });

  it('says when the instance does not exist', async () => {
    const api = fakeApi({
      getInstance: jest.fn(async () => {
        throw await responseError(404, 'NotFoundError', 'No instance nope');
      }),
    });
    await render(api, 'nope');
    expect(
      await screen.findByText('Could not load instance nope: No instance nope'),
    ).toBeInTheDocument();
  });
});

describe('InstancesPage', () => {
  it('goes from the list to an instance and back', async () => {
    const api = fakeApi({
      listInstances: jest.fn(async () => ({
        items: [instance({ id: 'abcdef12-3456', state: 'RUNNING' })],
      })),
      getOutput: jest.fn(async () => ({ items: OUTPUT })),
    });
    await renderSettled(<InstancesPage />, {
      apis: [
        [deploymentApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/instances': rootRouteRef },
      mountPath: '/instances/*',
      initialRouteEntries: ['/instances?state=RUNNING'],
    });
    await userEvent.click(
      await screen.findByRole('link', { name: 'abcdef12' }),
    );
    expect(
      await screen.findByRole('table', { name: 'instance fields' }),
    ).toBeInTheDocument();
    expect(api.getInstance).toHaveBeenCalledWith('abcdef12-3456');
    expect(await screen.findByText('listening on :8080')).toBeInTheDocument();
    // Back to the list as it was filtered.
    const back = screen.getByRole('link', { name: '← All instances' });
    expect(back).toHaveAttribute('href', '/instances?state=RUNNING');
    await userEvent.click(back);
    expect(
      await screen.findByRole('table', { name: 'instances' }),
    ).toBeInTheDocument();
    expect(api.listInstances).toHaveBeenLastCalledWith(
      expect.objectContaining({ states: ['RUNNING'] }),
    );
  });
});
