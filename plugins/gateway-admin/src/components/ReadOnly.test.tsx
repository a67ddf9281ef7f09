import { screen, waitFor } from '@testing-library/react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import { gatewayAdminApiRef } from '../api';
import { fakeApi, renderSettled } from '../__testUtils__/fakes';
import { LimitsEditor } from './LimitsEditor';
import { Revocations } from './Revocations';

/*
 * Readers (every signed-in staff member) may read but not change. Its own
 * file: usePermission caches decisions per module, and the other suites
 * allow everything.
 */
describe('for readers', () => {
  const asked: string[] = [];
  const permission = mockApis.permission({
    authorize: (request: EvaluatePermissionRequest) => {
      asked.push(request.permission.name);
      return request.permission.name === 'flagstage.gateway.read'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    },
  });

  it('the limits are shown but cannot be edited', async () => {
    await renderSettled(<LimitsEditor />, {
      apis: [[gatewayAdminApiRef, fakeApi()], permission],
    });
    const rps = await screen.findByLabelText('Requests per second per token');
    expect(rps).toHaveValue('300');
    await waitFor(() =>
      expect(asked).toContain('flagstage.gateway.limits.update'),
    );
    expect(rps).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save limits' })).toBeDisabled();
    expect(
      screen.getByText('Only operators and admins may change the limits.'),
    ).toBeInTheDocument();
  });

  it('revocations are listed but cannot be made or lifted', async () => {
    const api = fakeApi({
      listRevocations: jest.fn(async () => ({
        published: true,
        items: [
          {
            scope: 'instance' as const,
            value: 'inst-1',
            at: '2026-11-22T12:00:00.000Z',
          },
        ],
      })),
    });
    await renderSettled(<Revocations />, {
      apis: [[gatewayAdminApiRef, api], permission],
    });
    const button = await screen.findByRole('button', {
      name: 'Un-revoke instance inst-1',
    });
    await waitFor(() => {
      expect(asked).toContain('flagstage.gateway.revocations.create');
      expect(asked).toContain('flagstage.gateway.revocations.delete');
    });
    expect(button).toBeDisabled();
    expect(screen.getByLabelText('Value')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Revoke' })).toBeDisabled();
  });
});
