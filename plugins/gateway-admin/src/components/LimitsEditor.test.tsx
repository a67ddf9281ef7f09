import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import { gatewayAdminApiRef } from '../api';
import {
  DEFAULTS,
  fakeApi,
  limitsResponse,
  responseError,
  renderSettled,
} from '../__testUtils__/fakes';
import { LimitsEditor } from './LimitsEditor';

function render(api = fakeApi(), allow = AuthorizeResult.ALLOW) {
  return renderSettled(<LimitsEditor />, {
    apis: [
      [gatewayAdminApiRef, api],
      mockApis.permission({ authorize: allow }),
    ],
  });
}

const field = (label: string) =>
  screen.getByLabelText(label) as HTMLInputElement;

describe('LimitsEditor', () => {
  it('shows every field with its default and the version in force', async () => {
    const api = fakeApi({
      getLimits: jest.fn(async () =>
        limitsResponse({
          limits: {
            ...DEFAULTS,
            tcp: { ...DEFAULTS.tcp, maxConnectionsPerToken: 3 },
          },
          version: 4,
          updatedBy: 'user:default/olga',
          updatedAt: '2026-11-22T12:00:00.000Z',
        }),
      ),
    });
    await render(api);
    expect(
      await screen.findByText(/Version 4, saved by user:default\/olga/),
    ).toBeInTheDocument();
    expect(field('Requests per second per token').value).toBe('300');
    expect(screen.getByText('Default 300')).toBeInTheDocument();
    expect(field('Connections per token').value).toBe('3');
    expect(screen.getByText('Default 15 (changed)')).toBeInTheDocument();
    expect(screen.getByText('Default 10,485,760')).toBeInTheDocument();
    expect(screen.queryByTestId('publish-warning')).not.toBeInTheDocument();
  });

  it('refuses non-numbers in the form without calling the backend', async () => {
    const api = fakeApi();
    await render(api);
    const rps = await screen.findByLabelText('Requests per second per token');
    await userEvent.clear(rps);
    await userEvent.type(rps, '12.5');
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(
      await screen.findByText('must be a whole number'),
    ).toBeInTheDocument();
    expect(api.updateLimits).not.toHaveBeenCalled();
  });

  it('shows the backend’s problems next to their fields, and the rest above the buttons', async () => {
    const api = fakeApi({
      updateLimits: jest.fn(async () => {
        throw await responseError(
          400,
          'InputError',
          'Invalid limits: http.perTokenBurst: must be at least perTokenRps; udp: unknown section',
        );
      }),
    });
    await render(api);
    const rps = await screen.findByLabelText('Requests per second per token');
    await userEvent.clear(rps);
    await userEvent.type(rps, '700');
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(
      await screen.findByText('must be at least perTokenRps'),
    ).toBeInTheDocument();
    expect(field('Burst per token')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('udp: unknown section')).toBeInTheDocument();
    expect(api.updateLimits).toHaveBeenCalledWith(
      { ...DEFAULTS, http: { ...DEFAULTS.http, perTokenRps: 700 } },
      0,
    );
  });

  it('saves numbers from the version it started at, and warns when not published', async () => {
    const saved = limitsResponse({
      limits: { ...DEFAULTS, http: { ...DEFAULTS.http, perTokenRps: 50 } },
      version: 1,
      published: false,
      warning:
        'Redis is not configured (gatewayAdmin.redis.url): changes are saved in the database but NOT published',
    });
    const api = fakeApi({ updateLimits: jest.fn(async () => saved) });
    await render(api);
    const rps = await screen.findByLabelText('Requests per second per token');
    await userEvent.clear(rps);
    await userEvent.type(rps, '50');
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(await screen.findByText('Saved as version 1.')).toBeInTheDocument();
    expect(api.updateLimits).toHaveBeenCalledWith(saved.limits, 0);
    expect(screen.getByTestId('publish-warning')).toHaveTextContent(
      /Not published to the gateways.*Redis is not configured/,
    );
    expect(screen.getByRole('button', { name: 'Save limits' })).toBeDisabled();
  });

  it('says when someone else saved first (409)', async () => {
    const api = fakeApi({
      updateLimits: jest.fn(async () => {
        throw await responseError(
          409,
          'ConflictError',
          'The limits changed since version 0 (now version 1); reload and edit again',
        );
      }),
    });
    await render(api);
    const rps = await screen.findByLabelText('Requests per second per token');
    await userEvent.clear(rps);
    await userEvent.type(rps, '10');
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }));
    expect(
      await screen.findByText(/reload and edit again/),
    ).toBeInTheDocument();
  });
});
