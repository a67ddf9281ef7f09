import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { gatewayAdminApiRef } from '../api';
import { fakeApi, liveConnection, renderSettled } from '../__testUtils__/fakes';
import { LiveConnections } from './LiveConnections';

const CONNECTIONS = [
  liveConnection({
    id: 'a1',
    iid: 'inst-1',
    team: 'team-1',
    bytesIn: 2048,
    bytesOut: 100,
  }),
  liveConnection({
    id: 'b1',
    iid: 'inst-2',
    team: 'team-2',
    replica: 'gw-b',
    proto: 'http',
  }),
];

describe('LiveConnections', () => {
  it('lists live connections and asks the backend with the filters', async () => {
    const api = fakeApi({
      getConnections: jest.fn(async (filter = {}) => ({
        available: true,
        replicas: [
          { replica: 'gw-a', at: '2026-11-22T12:00:05.000Z', connections: 1 },
          { replica: 'gw-b', at: '2026-11-22T12:00:05.000Z', connections: 1 },
        ],
        connections: CONNECTIONS.filter(
          c =>
            (!filter.team || c.team === filter.team) &&
            (!filter.instance || c.iid === filter.instance),
        ),
      })),
    });
    await renderSettled(<LiveConnections refreshMs={60_000} />, {
      apis: [[gatewayAdminApiRef, api]],
    });
    const table = await screen.findByRole('table', {
      name: 'live connections',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByText('2.0 KiB')).toBeInTheDocument();
    expect(within(table).getByText('gw-b')).toBeInTheDocument();
    expect(
      screen.getByText(/2 gateway replica\(s\) reporting/),
    ).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Team'), 'team-2');
    await waitFor(() =>
      expect(api.getConnections).toHaveBeenLastCalledWith({
        instance: '',
        team: 'team-2',
      }),
    );
    // Typing passes through filters matching nothing: the table is re-created.
    await waitFor(() =>
      expect(
        within(
          screen.getByRole('table', { name: 'live connections' }),
        ).getAllByRole('row'),
      ).toHaveLength(2),
    );
    expect(
      within(screen.getByRole('table', { name: 'live connections' })).getByText(
        'inst-2',
      ),
    ).toBeInTheDocument();

    await userEvent.type(screen.getByLabelText('Instance'), 'inst-1');
    expect(
      await screen.findByText('No live connections match.'),
    ).toBeInTheDocument();
  });

  it('refreshes on its own', async () => {
    const api = fakeApi();
    await renderSettled(<LiveConnections refreshMs={50} />, {
      apis: [[gatewayAdminApiRef, api]],
    });
    await waitFor(() =>
      expect(api.getConnections.mock.calls.length).toBeGreaterThanOrEqual(3),
    );
    expect(screen.getByText('No live connections.')).toBeInTheDocument();
  });

  it('shows the backend’s note when live data is unavailable', async () => {
    const api = fakeApi({
      getConnections: jest.fn(async () => ({
        available: false,
        note: 'Live connections come from the gateways’ reports in Redis, and Redis is not configured (gatewayAdmin.redis.url).',
        replicas: [],
        connections: [],
      })),
    });
    await renderSettled(<LiveConnections />, {
      apis: [[gatewayAdminApiRef, api]],
    });
    expect(await screen.findByTestId('connections-note')).toHaveTextContent(
      /Redis is not configured/,
    );
  });
});
