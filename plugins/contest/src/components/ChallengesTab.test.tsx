import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import type { AdminContestChallenge } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import {
  challenge,
  fakeApi,
  renderSettled,
  responseError,
} from '../__testUtils__/fakes';
import { ChallengesTab } from './ChallengesTab';

const challengeEntity = (name: string, title: string): Entity => ({
  apiVersion: 'flagstage.io/v1alpha1',
  kind: 'Challenge',
  metadata: { name, namespace: 'default', title },
  spec: { category: 'web', difficulty: 'easy' },
});

/** The tab with a contest backend and a catalog kept in memory. */
async function setup() {
  let challenges: AdminContestChallenge[] = [
    challenge({ solves: 2, value: 450 }),
  ];
  const api = fakeApi({
    attachChallenge: jest.fn(async (_slug, req) => {
      const name = req.entityRef.split('/')[1];
      challenges = [
        ...challenges,
        challenge({
          name,
          entityRef: req.entityRef,
          title: 'Team Vault',
          hidden: req.hidden ?? true,
          releaseAt: req.releaseAt ?? null,
        }),
      ];
      return { name, hidden: req.hidden ?? true, releaseAt: null };
    }),
    updateChallenge: jest.fn(async (_slug, name, change) => {
      challenges = challenges.map(c =>
        c.name === name ? { ...c, ...change } : c,
      );
      return { name, hidden: false, releaseAt: null };
    }),
    detachChallenge: jest.fn(async (_slug, name) => {
      throw await responseError(
        409,
        'ConflictError',
        `"${name}" has solves; hide it instead of removing it`,
      );
    }),
  });
  const getEntities = jest.fn(async () => ({
    items: [
      challengeEntity('web-cookie-jar', 'Cookie Jar'),
      challengeEntity('web-team-vault', 'Team Vault'),
    ],
  }));
  const catalog = catalogApiMock.mock({ getEntities });

  /** Reloads the challenges after each change, as the contest page does. */
  function Tab() {
    const [list, setList] = useState(challenges);
    return (
      <ChallengesTab
        slug="finals"
        challenges={list}
        onChanged={async () => setList(challenges)}
      />
    );
  }
  await renderSettled(<Tab />, {
    apis: [
      [contestApiRef, api],
      [catalogApiRef, catalog],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
  });
  return { api, getEntities };
}

describe('ChallengesTab', () => {
  it('attaches a Challenge picked from the catalog, hidden unless published', async () => {
    const { api, getEntities } = await setup();
    expect(getEntities).toHaveBeenCalledWith(
      expect.objectContaining({ filter: { kind: 'Challenge' } }),
    );
    await userEvent.click(screen.getByLabelText('Challenge'));
    const listbox = await screen.findByRole('listbox');
    // The attached one is not offered again.
    expect(within(listbox).queryByText('Cookie Jar')).not.toBeInTheDocument();
    await userEvent.click(within(listbox).getByText('Team Vault'));
    await userEvent.click(screen.getByRole('button', { name: 'Attach' }));
    expect(api.attachChallenge).toHaveBeenCalledWith('finals', {
      entityRef: 'challenge:default/web-team-vault',
      hidden: true,
    });
    expect(
      await screen.findByText('Attached Team Vault, hidden.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('checkbox', { name: 'Published web-team-vault' }),
    ).not.toBeChecked();
  });

  it('links each challenge to its catalog page and shows its scoring', async () => {
    await setup();
    const table = screen.getByRole('table', { name: 'challenges' });
    const [, row] = within(table).getAllByRole('row');
    expect(
      within(row).getByRole('link', { name: /Cookie Jar/ }),
    ).toHaveAttribute('href', '/catalog/default/challenge/web-cookie-jar');
    expect(
      within(row).getByText('ctfd-linear (500, min 100, decay 25)'),
    ).toBeInTheDocument();
    expect(within(row).getByText('450')).toBeInTheDocument();
    expect(within(row).getByText('With the contest')).toBeInTheDocument();
  });

  it('publishes a hidden challenge', async () => {
    const { api } = await setup();
    const toggle = screen.getByRole('checkbox', {
      name: 'Published web-cookie-jar',
    });
    expect(toggle).not.toBeChecked();
    await userEvent.click(toggle);
    expect(api.updateChallenge).toHaveBeenCalledWith(
      'finals',
      'web-cookie-jar',
      { hidden: false },
    );
    expect(
      await screen.findByText('Published Cookie Jar.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getByRole('checkbox', { name: 'Published web-cookie-jar' }),
      ).toBeChecked(),
    );
  });

  it('shows why a challenge with solves cannot be detached', async () => {
    const { api } = await setup();
    await userEvent.click(
      screen.getByRole('button', { name: 'Detach web-cookie-jar' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Detach' }),
    );
    expect(api.detachChallenge).toHaveBeenCalledWith(
      'finals',
      'web-cookie-jar',
    );
    expect(
      await screen.findByText(
        '"web-cookie-jar" has solves; hide it instead of removing it',
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });
});
