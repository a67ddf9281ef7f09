import { screen, within } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import { contestApiRef } from '../api';
import { rootRouteRef } from '../routes';
import { fakeApi, renderSettled, responseError } from '../__testUtils__/fakes';
import { EntityContestContent } from './EntityContestContent';

const entity: Entity = {
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name: 'Web-Cookie-Jar', namespace: 'default' },
  spec: {},
};

function render(api: ReturnType<typeof fakeApi>) {
  return renderSettled(
    <EntityProvider entity={entity}>
      <EntityContestContent />
    </EntityProvider>,
    {
      apis: [[contestApiRef, api]],
      mountedRoutes: { '/contests': rootRouteRef },
    },
  );
}

describe('EntityContestContent', () => {
  it('shows solves, attempts and first blood per contest', async () => {
    const api = fakeApi({
      getChallengeStats: jest.fn(async () => [
        {
          contest: 'finals',
          hidden: false,
          solves: 7,
          attempts: 31,
          firstBlood: { team: 'Null Pointers', at: '2026-12-01T10:04:00.000Z' },
        },
        {
          contest: 'quals',
          hidden: true,
          solves: 0,
          attempts: 2,
          firstBlood: null,
        },
      ]),
    });
    await render(api);
    expect(api.getChallengeStats).toHaveBeenCalledWith(
      'challenge:default/web-cookie-jar',
    );
    const table = await screen.findByRole('table', { name: 'contest stats' });
    const [, finals, quals] = within(table).getAllByRole('row');
    expect(
      within(finals).getByRole('link', { name: 'finals' }),
    ).toHaveAttribute('href', '/contests/finals/challenges');
    expect(within(finals).getByText('Published')).toBeInTheDocument();
    expect(within(finals).getByText('7')).toBeInTheDocument();
    expect(within(finals).getByText('31')).toBeInTheDocument();
    expect(within(finals).getByText('Null Pointers')).toBeInTheDocument();
    expect(within(quals).getByText('Hidden')).toBeInTheDocument();
    expect(within(quals).getByText('—')).toBeInTheDocument();
  });

  it('says when the challenge is in no contest', async () => {
    await render(fakeApi());
    expect(
      await screen.findByText('This challenge is not in any contest yet.'),
    ).toBeInTheDocument();
  });

  it('explains a refusal (authors see their own challenges only)', async () => {
    const api = fakeApi({
      getChallengeStats: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'Authors read the stats of their own challenges only',
        );
      }),
    });
    await render(api);
    expect(
      await screen.findByText(
        "Contest stats are shown to operators, admins and the challenge's owners.",
      ),
    ).toBeInTheDocument();
  });

  it('shows other failures with the backend’s message', async () => {
    const api = fakeApi({
      getChallengeStats: jest.fn(async () => {
        throw await responseError(500, 'Error', 'database is locked');
      }),
    });
    await render(api);
    expect(
      await screen.findByText(
        'Could not load contest stats: database is locked',
      ),
    ).toBeInTheDocument();
  });
});
