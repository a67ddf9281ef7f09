import { screen, waitFor } from '@testing-library/react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import { deploymentApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { fakeApi, instance, renderSettled } from '../__testUtils__/fakes';
import { InstancesOverview } from './InstancesOverview';

/*
 * Readers may see instances but not stop or extend them. Its own file:
 * usePermission caches decisions per module, and the other suites allow
 * everything.
 */
describe('for readers', () => {
  it('Stop and Extend are disabled', async () => {
    const asked: string[] = [];
    const permission = mockApis.permission({
      authorize: (request: EvaluatePermissionRequest) => {
        asked.push(request.permission.name);
        return request.permission.name === 'flagstage.instance.read'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY;
      },
    });
    await renderSettled(<InstancesOverview refreshMs={60_000} />, {
      apis: [
        [
          deploymentApiRef,
          fakeApi({
            listInstances: jest.fn(async () => ({ items: [instance()] })),
          }),
        ],
        permission,
      ],
      mountedRoutes: { '/instances': rootRouteRef },
    });
    const stop = await screen.findByRole('button', {
      name: 'Stop web-cookie-jar for team team-1',
    });
    await waitFor(() => {
      expect(asked).toContain('flagstage.instance.stop');
      expect(asked).toContain('flagstage.instance.extend');
    });
    expect(stop).toBeDisabled();
    expect(
      screen.getByRole('button', {
        name: 'Extend web-cookie-jar for team team-1',
      }),
    ).toBeDisabled();
  });
});
