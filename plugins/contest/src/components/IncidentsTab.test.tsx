import { screen, within } from '@testing-library/react';
import { contestApiRef } from '../api';
import { fakeApi, renderSettled } from '../__testUtils__/fakes';
import { IncidentsTab } from './IncidentsTab';

describe('IncidentsTab', () => {
  it('lists who submitted whose dynamic flag', async () => {
    const api = fakeApi({
      listIncidents: jest.fn(async () => [
        {
          id: 7,
          submittingTeam: 'Stack Smashers',
          ownerTeam: 'Null Pointers',
          challenge: 'web-team-vault',
          contestantId: 'p-9',
          at: '2026-12-01T10:00:00.000Z',
        },
      ]),
    });
    await renderSettled(<IncidentsTab slug="finals" />, {
      apis: [[contestApiRef, api]],
    });
    expect(api.listIncidents).toHaveBeenCalledWith('finals');
    const table = await screen.findByRole('table', { name: 'incidents' });
    const [, row] = within(table).getAllByRole('row');
    const cells = within(row)
      .getAllByRole('cell')
      .map(c => c.textContent);
    expect(cells.slice(1)).toEqual([
      'Stack Smashers',
      'Null Pointers',
      'web-team-vault',
      'p-9',
    ]);
  });

  it('says when there are none', async () => {
    await renderSettled(<IncidentsTab slug="finals" />, {
      apis: [[contestApiRef, fakeApi()]],
    });
    expect(
      await screen.findByText('No shared flags detected.'),
    ).toBeInTheDocument();
  });
});
