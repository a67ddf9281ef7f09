import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin, { challengeBuildsCard } from './plugin';

const entity = (kind: string) => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind,
  metadata: { name: 'x' },
});

describe('deployment plugin', () => {
  it('provides the Builds card among its extensions', () => {
    expect(
      plugin.getExtension('entity-card:deployment/challenge-builds'),
    ).toMatchObject({ kind: 'entity-card', name: 'challenge-builds' });
  });

  it('shows the Builds card on Challenge entities only, in the content area', () => {
    const tester = createExtensionTester(challengeBuildsCard);
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity('Challenge'))).toBe(true);
    expect(filter(entity('Component'))).toBe(false);
    expect(filter(entity('Group'))).toBe(false);
    expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('content');
  });
});
