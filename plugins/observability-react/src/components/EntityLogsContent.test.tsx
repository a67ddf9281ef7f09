import { screen } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { observabilityApiRef } from '../api';
import { fakeApi, renderSettled } from '../__testUtils__/fakes';
import { EntityLogsContent } from './EntityLogsContent';

const entity: Entity = {
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name: 'web-cookie-jar', namespace: 'default' },
  spec: {},
};

describe('EntityLogsContent', () => {
  it('searches the logs of the entity’s challenge at once', async () => {
    const api = fakeApi();
    await renderSettled(
      <EntityProvider entity={entity}>
        <EntityLogsContent />
      </EntityProvider>,
      { apis: [[observabilityApiRef, api]] },
    );
    expect(api.searchLogs).toHaveBeenCalledWith(
      expect.objectContaining({ challenge: 'web-cookie-jar' }),
    );
    expect(screen.getByLabelText('Challenge')).toHaveValue('web-cookie-jar');
    expect(screen.getByLabelText('Challenge')).toHaveAttribute('readonly');
  });
});
