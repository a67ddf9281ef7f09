import { screen, waitFor } from '@testing-library/react';
import type { Entity } from '@backstage/catalog-model';
import { mockApis } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { deploymentApiRef } from '../api';
import { build, fakeApi, renderSettled } from '../__testUtils__/fakes';
import { ChallengeBuildsCard } from './ChallengeBuildsCard';

/*
 * Readers may see builds but not start them. Its own file: usePermission
 * caches decisions per module (SWR), and the other suite allows everything.
 */
describe('ChallengeBuildsCard for readers', () => {
  it('disables Build image without flagstage.challenge.build.create', async () => {
    const asked: string[] = [];
    const permission = mockApis.permission({
      authorize: (request: EvaluatePermissionRequest) => {
        asked.push(request.permission.name);
        return AuthorizeResult.DENY;
      },
    });
    const entity: Entity = {
      apiVersion: 'flagstage.io/v1alpha1',
      kind: 'Challenge',
      metadata: { name: 'web-cookie-jar' },
      spec: { runtime: { build: {} } },
    };
    const api = fakeApi({
      listBuilds: jest.fn(async () => ({ items: [build()] })),
    });
    await renderSettled(
      <EntityProvider entity={entity}>
        <ChallengeBuildsCard refreshMs={60_000} />
      </EntityProvider>,
      { apis: [[deploymentApiRef, api], permission] },
    );
    await screen.findByRole('table', { name: 'builds' });
    await waitFor(() =>
      expect(asked).toContain('flagstage.challenge.build.create'),
    );
    const button = screen.getByRole('button', { name: 'Build image' });
    expect(button).toBeDisabled();
    expect(button.parentElement).toHaveAttribute(
      'title',
      'You may not build challenge images',
    );
    expect(api.startBuild).not.toHaveBeenCalled();
  });
});
