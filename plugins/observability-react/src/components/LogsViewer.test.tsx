import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { observabilityApiRef } from '../api';
import {
  fakeApi,
  line,
  renderSettled,
  responseError,
} from '../__testUtils__/fakes';
import { LogsViewer } from './LogsViewer';

const HOUR = 3_600_000;

function render(
  api: ReturnType<typeof fakeApi>,
  props: Parameters<typeof LogsViewer>[0] = {},
  config: object = {},
) {
  return renderSettled(<LogsViewer {...props} />, {
    apis: [[observabilityApiRef, api]],
    config,
  });
}

const rows = () =>
  within(screen.getByRole('table', { name: 'log lines' }))
    .getAllByRole('row')
    .slice(1);

describe('LogsViewer', () => {
  it('searches from the form and shows the lines, newest first, with their source', async () => {
    const api = fakeApi({
      searchLogs: jest.fn(async () => ({
        query: '{team="t1"} |= "GET"',
        items: [
          line('2026-03-01T12:00:02Z', 'GET /flag 403'),
          line('2026-03-01T12:00:01Z', 'GET / 200'),
        ],
        nextCursor: null,
      })),
    });
    await render(api);
    expect(api.searchLogs).not.toHaveBeenCalled();
    expect(screen.getByRole('button', { name: 'Search' })).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Team'), 't1');
    await userEvent.type(screen.getByLabelText('Contains'), 'GET');
    const before = Date.now();
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    const query = api.searchLogs.mock.calls[0][0];
    expect(query).toMatchObject({ team: 't1', contains: 'GET' });
    // The default range: the last hour.
    expect(Date.parse(query.end!) - Date.parse(query.start!)).toBe(HOUR);
    expect(Date.parse(query.end!)).toBeGreaterThanOrEqual(before - 1000);
    expect(rows()[0]).toHaveTextContent('2026-03-01T12:00:02.000Z');
    expect(rows()[0]).toHaveTextContent('fs-i1 / challenge-abcde / challenge');
    expect(rows()[0]).toHaveTextContent('GET /flag 403');
    expect(screen.getByTestId('logql')).toHaveTextContent(
      '{team="t1"} |= "GET"',
    );
    // No Grafana configured: no link.
    expect(screen.queryByText('Open in Grafana')).not.toBeInTheDocument();
  });

  it('searches at once with a fixed challenge, and links to Grafana Explore with the same LogQL and range', async () => {
    const api = fakeApi({
      searchLogs: jest.fn(async () => ({
        query: '{challenge="web"}',
        items: [line('2026-03-01T12:00:00Z', 'started')],
        nextCursor: null,
      })),
    });
    await render(
      api,
      { initialFilter: { challenge: 'web' }, fixed: ['challenge'] },
      {
        observability: {
          grafanaUrl: 'https://grafana.example/',
          grafanaLokiDatasource: 'loki-uid',
        },
      },
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(api.searchLogs).toHaveBeenCalledWith(
      expect.objectContaining({ challenge: 'web' }),
    );
    expect(screen.getByLabelText('Challenge')).toHaveAttribute('readonly');
    const link = screen.getByRole('link', { name: 'Open in Grafana' });
    const url = new URL(link.getAttribute('href')!);
    expect(url.origin + url.pathname).toBe('https://grafana.example/explore');
    const pane = JSON.parse(url.searchParams.get('panes')!).a;
    expect(pane.datasource).toBe('loki-uid');
    expect(pane.queries[0].expr).toBe('{challenge="web"}');
    const q = api.searchLogs.mock.calls[0][0];
    expect(pane.range).toEqual({
      from: String(Date.parse(q.start!)),
      to: String(Date.parse(q.end!)),
    });
    expect(link).toHaveAttribute('target', '_blank');
  });

  it('loads older lines with the cursor of the previous page, over the same range', async () => {
    const api = fakeApi({
      searchLogs: jest
        .fn()
        .mockResolvedValueOnce({
          query: '{challenge="web"}',
          items: [line('2026-03-01T12:00:02Z', 'newest')],
          nextCursor: '1772366402000000000',
        })
        .mockResolvedValueOnce({
          query: '{challenge="web"}',
          items: [line('2026-03-01T12:00:01Z', 'older')],
          nextCursor: null,
        }),
    });
    await render(api, { initialFilter: { challenge: 'web' } });
    const older = await screen.findByRole('button', { name: 'Load older' });
    await waitFor(() => expect(older).toBeEnabled());
    await userEvent.click(older);
    await waitFor(() => expect(rows()).toHaveLength(2));
    const [first, second] = api.searchLogs.mock.calls.map(c => c[0]);
    expect(second).toEqual({ ...first, cursor: '1772366402000000000' });
    expect(rows().map(r => r.textContent)).toEqual([
      expect.stringContaining('newest'),
      expect.stringContaining('older'),
    ]);
    expect(
      screen.queryByRole('button', { name: 'Load older' }),
    ).not.toBeInTheDocument();
  });

  it('tails live: polls forward from the newest line shown and puts new lines on top', async () => {
    // Lines of the last minutes: the tail continues from inside the range.
    const at = (secondsAgo: number) =>
      new Date(Date.now() - secondsAgo * 1000).toISOString();
    const first = line(at(60), 'first', 5);
    const third = line(at(30), 'third');
    const api = fakeApi({
      searchLogs: jest
        .fn()
        .mockResolvedValueOnce({
          query: '{challenge="web"}',
          items: [first],
          nextCursor: null,
        })
        .mockResolvedValueOnce({
          query: '{challenge="web"}',
          items: [line(at(40), 'second'), third],
          nextCursor: null,
        })
        .mockResolvedValue({
          query: '{challenge="web"}',
          items: [],
          nextCursor: null,
        }),
    });
    await render(api, { initialFilter: { challenge: 'web' }, pollMs: 50 });
    await waitFor(() => expect(rows()).toHaveLength(1));
    await userEvent.click(screen.getByLabelText('Live tail'));
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(rows().map(r => r.textContent)).toEqual([
      expect.stringContaining('third'),
      expect.stringContaining('second'),
      expect.stringContaining('first'),
    ]);
    const tailCall = api.searchLogs.mock.calls[1][0];
    expect(tailCall).toMatchObject({
      challenge: 'web',
      direction: 'forward',
      cursor: first.timestamp,
    });
    // The next poll continues from the newest line.
    await waitFor(() =>
      expect(api.searchLogs.mock.calls.length).toBeGreaterThan(2),
    );
    expect(api.searchLogs.mock.calls[2][0].cursor).toBe(third.timestamp);
    // Off: polling stops.
    await userEvent.click(screen.getByLabelText('Live tail'));
    const calls = api.searchLogs.mock.calls.length;
    await new Promise(r => setTimeout(r, 200));
    expect(api.searchLogs.mock.calls.length).toBe(calls);
  });

  it('shows the backend’s error message', async () => {
    const api = fakeApi({
      searchLogs: jest.fn(async () => {
        throw await responseError(
          400,
          'InputError',
          'Loki refused the query: parse error at line 1',
        );
      }),
    });
    await render(api, { initialFilter: { instance: 'i1' } });
    expect(
      await screen.findByText(/Loki refused the query: parse error at line 1/),
    ).toBeInTheDocument();
  });

  it('says so when the range has no lines', async () => {
    await render(fakeApi(), { initialFilter: { challenge: 'web' } });
    expect(
      await screen.findByText('No log lines in this range.'),
    ).toBeInTheDocument();
  });
});
