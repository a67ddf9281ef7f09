import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import type { GatewayRevocation } from '@flagstage/plugin-gateway-common';
import { gatewayAdminApiRef } from '../api';
import { fakeApi, responseError, renderSettled } from '../__testUtils__/fakes';
import { Revocations } from './Revocations';

/** A fake backend keeping revocations in memory. */
function statefulApi() {
  let items: GatewayRevocation[] = [];
  return fakeApi({
    listRevocations: jest.fn(async () => ({ items, published: true })),
    revoke: jest.fn(async req => {
      if (items.some(r => r.scope === req.scope && r.value === req.value)) {
        throw await responseError(
          409,
          'ConflictError',
          `${req.scope} ${req.value} is already revoked`,
        );
      }
      const revocation = {
        ...req,
        at: '2026-11-22T12:00:00.000Z',
        by: 'user:default/olga',
      };
      items = [revocation, ...items];
      return { revocation, published: true };
    }),
    unrevoke: jest.fn(async (scope, value) => {
      const deleted = items.find(r => r.scope === scope && r.value === value)!;
      items = items.filter(r => r !== deleted);
      return { deleted, published: true };
    }),
  });
}

function render(
  api: ReturnType<typeof fakeApi>,
  allow = AuthorizeResult.ALLOW,
) {
  return renderSettled(<Revocations />, {
    apis: [
      [gatewayAdminApiRef, api],
      mockApis.permission({ authorize: allow }),
    ],
  });
}

async function revoke(scope: string, value: string, reason?: string) {
  await userEvent.click(screen.getByLabelText('Scope'));
  await userEvent.click(
    within(await screen.findByRole('listbox')).getByText(scope),
  );
  await userEvent.type(screen.getByLabelText('Value'), value);
  if (reason)
    await userEvent.type(screen.getByLabelText('Reason (optional)'), reason);
  await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
}

describe('Revocations', () => {
  it('revokes, lists, refuses a duplicate, and un-revokes', async () => {
    const api = statefulApi();
    await render(api);
    expect(await screen.findByText('Nothing is revoked.')).toBeInTheDocument();

    await revoke('team', 'team-noisy', 'DoS');
    expect(api.revoke).toHaveBeenCalledWith({
      scope: 'team',
      value: 'team-noisy',
      reason: 'DoS',
    });
    expect(
      await screen.findByText('Revoked team team-noisy.'),
    ).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'revocations' });
    expect(within(table).getByText('team-noisy')).toBeInTheDocument();
    expect(within(table).getByText('DoS')).toBeInTheDocument();
    expect(within(table).getByText('user:default/olga')).toBeInTheDocument();
    // The form was cleared.
    expect(screen.getByLabelText('Value')).toHaveValue('');

    await revoke('team', 'team-noisy');
    expect(
      await screen.findByText('team team-noisy is already revoked'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Un-revoke team team-noisy' }),
    );
    expect(api.unrevoke).toHaveBeenCalledWith('team', 'team-noisy');
    expect(
      await screen.findByText('Lifted the revocation of team team-noisy.'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Nothing is revoked.')).toBeInTheDocument();
  });

  it('warns when revocations are not published', async () => {
    const api = fakeApi({
      listRevocations: jest.fn(async () => ({
        items: [],
        published: false,
        warning:
          'Redis is unreachable: changes are saved in the database but not yet published',
      })),
    });
    await render(api);
    expect(await screen.findByTestId('publish-warning')).toHaveTextContent(
      /Redis is unreachable/,
    );
  });
});
