import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import type {
  InstanceFilter,
  InstanceView,
} from '@flagstage/plugin-deployment-common';
import { deploymentApiRef } from '../api';
import { rootRouteRef } from '../routes';
import {
  fakeApi,
  instance,
  renderSettled,
  responseError,
} from '../__testUtils__/fakes';
import { InstancesOverview } from './InstancesOverview';

const INSTANCES = [
  instance({ id: 'aaaaaaaa-1', teamId: 'team-1', state: 'RUNNING' }),
  instance({
    id: 'bbbbbbbb-2',
    teamId: 'team-2',
    contestId: 'other',
    challenge: 'tcp-math-oracle',
    challengeRef: 'challenge:default/tcp-math-oracle',
    protocol: 'tcp',
    state: 'FAILED',
    failureReason: 'image pull failed',
  }),
];

/** A fake backend filtering like the real one. */
function listingApi(items: InstanceView[] = INSTANCES) {
  return fakeApi({
    listInstances: jest.fn(async (f: InstanceFilter = {}) => ({
      items: items.filter(
        i =>
          (!f.contestId || i.contestId === f.contestId) &&
          (!f.teamId || i.teamId === f.teamId) &&
          (!f.challengeRef || i.challengeRef === f.challengeRef) &&
          (!f.states?.length || f.states.includes(i.state)),
      ),
    })),
  });
}

function render(api: ReturnType<typeof fakeApi>, refreshMs = 60_000) {
  return renderSettled(<InstancesOverview refreshMs={refreshMs} />, {
    apis: [
      [deploymentApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
    mountedRoutes: { '/instances': rootRouteRef },
  });
}

const rows = () =>
  within(screen.getByRole('table', { name: 'instances' }))
    .getAllByRole('row')
    .slice(1);

describe('InstancesOverview', () => {
  it('lists instances with state, failure reason and a link to each', async () => {
    const api = listingApi();
    await render(api);
    expect(
      await screen.findByRole('table', { name: 'instances' }),
    ).toBeTruthy();
    expect(rows()).toHaveLength(2);
    expect(api.listInstances).toHaveBeenCalledWith({
      contestId: '',
      teamId: '',
      challengeRef: '',
      states: [],
      limit: 200,
    });
    const [running, failed] = rows();
    expect(within(running).getByTestId('instance-state')).toHaveTextContent(
      'RUNNING',
    );
    expect(within(failed).getByTestId('instance-state')).toHaveTextContent(
      'FAILED',
    );
    expect(within(failed).getByText('image pull failed')).toBeInTheDocument();
    expect(
      within(running).getByRole('link', { name: 'aaaaaaaa' }),
    ).toHaveAttribute('href', '/instances/aaaaaaaa-1');
    // Only active instances can be stopped.
    expect(
      within(running).getByRole('button', {
        name: 'Stop web-cookie-jar for team team-1',
      }),
    ).toBeEnabled();
    expect(
      within(failed).getByRole('button', {
        name: 'Stop tcp-math-oracle for team team-2',
      }),
    ).toBeDisabled();
  });

  /** Types a whole value at once (a paste): one filter change, not one per key. */
  const enter = async (field: HTMLElement, text: string) => {
    await userEvent.click(field);
    await userEvent.paste(text);
  };

  it('asks the backend with the text filters and the states chosen', async () => {
    const api = listingApi();
    await render(api);
    await screen.findByRole('table', { name: 'instances' });

    await enter(screen.getByLabelText('Team id'), 'team-2');
    await waitFor(() =>
      expect(api.listInstances).toHaveBeenLastCalledWith(
        expect.objectContaining({ teamId: 'team-2', states: [] }),
      ),
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveTextContent('tcp-math-oracle');

    await enter(screen.getByLabelText('Contest id'), 'other');
    await enter(
      screen.getByLabelText('Challenge ref'),
      'challenge:default/tcp-math-oracle',
    );
    await userEvent.click(screen.getByLabelText('State'));
    const listbox = await screen.findByRole('listbox');
    await userEvent.click(within(listbox).getByText('FAILED'));
    await userEvent.click(within(listbox).getByText('RUNNING'));
    await waitFor(() =>
      expect(api.listInstances).toHaveBeenLastCalledWith({
        contestId: 'other',
        teamId: 'team-2',
        challengeRef: 'challenge:default/tcp-math-oracle',
        // In the order of INSTANCE_STATES, whatever the order of clicks.
        states: ['RUNNING', 'FAILED'],
        limit: 200,
      }),
    );
    await userEvent.click(within(listbox).getByText('FAILED'));
    await waitFor(() =>
      expect(api.listInstances).toHaveBeenLastCalledWith(
        expect.objectContaining({ states: ['RUNNING'] }),
      ),
    );
    expect(await screen.findByText('No instances match.')).toBeInTheDocument();
  });

  it('filters by a state when its card is clicked', async () => {
    const api = listingApi();
    await render(api);
    await screen.findByRole('table', { name: 'instances' });
    await userEvent.click(screen.getByRole('group', { name: 'FAILED' }));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(api.listInstances).toHaveBeenLastCalledWith(
      expect.objectContaining({ states: ['FAILED'] }),
    );
    await userEvent.click(screen.getByRole('group', { name: 'FAILED' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it('filters by a contest or team when its id is clicked', async () => {
    const api = listingApi();
    await render(api);
    await screen.findByRole('table', { name: 'instances' });
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by team team-2' }),
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.getByLabelText('Team id')).toHaveValue('team-2');
    expect(api.listInstances).toHaveBeenLastCalledWith(
      expect.objectContaining({ teamId: 'team-2', contestId: '' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Filter by contest other' }),
    );
    await waitFor(() =>
      expect(api.listInstances).toHaveBeenLastCalledWith(
        expect.objectContaining({ teamId: 'team-2', contestId: 'other' }),
      ),
    );
  });

  it('stops an instance only after confirmation', async () => {
    let items = [INSTANCES[0]];
    const api = fakeApi({
      listInstances: jest.fn(async () => ({ items })),
      stopInstance: jest.fn(async () => {
        items = [{ ...items[0], state: 'STOPPING' as const }];
        return items[0];
      }),
    });
    await render(api);
    const stop = await screen.findByRole('button', {
      name: 'Stop web-cookie-jar for team team-1',
    });

    await userEvent.click(stop);
    let dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Stop this instance?');
    expect(dialog).toHaveTextContent('aaaaaaaa-1');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.stopInstance).not.toHaveBeenCalled();

    await userEvent.click(stop);
    dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Stop instance' }),
    );
    expect(api.stopInstance).toHaveBeenCalledWith('aaaaaaaa-1');
    expect(
      await screen.findByText(
        'Stopping web-cookie-jar for team team-1: now STOPPING.',
      ),
    ).toBeInTheDocument();
    // The list was reloaded: the row shows the new state, Stop is off.
    await waitFor(() =>
      expect(within(rows()[0]).getByTestId('instance-state')).toHaveTextContent(
        'STOPPING',
      ),
    );
    expect(
      screen.getByRole('button', {
        name: 'Stop web-cookie-jar for team team-1',
      }),
    ).toBeDisabled();
  });

  it('shows the backend’s message when extending is refused', async () => {
    const api = fakeApi({
      listInstances: jest.fn(async () => ({ items: [INSTANCES[0]] })),
      extendInstance: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'Extending opens 10 minutes before expiry (2026-11-22T12:50:00.000Z)',
        );
      }),
    });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Extend web-cookie-jar for team team-1',
      }),
    );
    expect(api.extendInstance).toHaveBeenCalledWith('aaaaaaaa-1');
    expect(
      await screen.findByText(
        'Extending opens 10 minutes before expiry (2026-11-22T12:50:00.000Z)',
      ),
    ).toBeInTheDocument();
  });

  it('cannot extend without extensions left or when not running', async () => {
    const api = fakeApi({
      listInstances: jest.fn(async () => ({
        items: [
          instance({ id: 'x1', teamId: 'done', extendableFrom: null }),
          instance({ id: 'x2', teamId: 'dep', state: 'DEPLOYING' }),
        ],
      })),
    });
    await render(api);
    expect(
      await screen.findByRole('button', {
        name: 'Extend web-cookie-jar for team done',
      }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', {
        name: 'Extend web-cookie-jar for team dep',
      }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Stop web-cookie-jar for team dep' }),
    ).toBeEnabled();
  });

  it('refreshes the live state on its own', async () => {
    let state: InstanceView['state'] = 'DEPLOYING';
    const api = fakeApi({
      listInstances: jest.fn(async () => ({
        items: [instance({ id: 'live-1', state })],
      })),
    });
    await render(api, 50);
    expect(await screen.findByTestId('instance-state')).toHaveTextContent(
      'DEPLOYING',
    );
    state = 'RUNNING';
    await waitFor(() =>
      expect(screen.getByTestId('instance-state')).toHaveTextContent('RUNNING'),
    );
  });

  it('says why the list could not be loaded', async () => {
    const api = fakeApi({
      listInstances: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'Not allowed: flagstage.instance.read',
        );
      }),
    });
    await render(api);
    expect(
      await screen.findByText(
        'Could not load instances: Not allowed: flagstage.instance.read',
      ),
    ).toBeInTheDocument();
  });
});
