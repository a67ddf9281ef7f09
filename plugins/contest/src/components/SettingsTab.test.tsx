import { Route, Routes } from 'react-router-dom';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import { contestApiRef } from '../api';
import { rootRouteRef } from '../routes';
import {
  contest,
  fakeApi,
  renderSettled,
  responseError,
} from '../__testUtils__/fakes';
import { SettingsTab } from './SettingsTab';

function render(api: ReturnType<typeof fakeApi>, onChanged = jest.fn()) {
  return renderSettled(
    <Routes>
      <Route path="/contests" element={<p>The contests list</p>} />
      <Route
        path="/contests/finals"
        element={<SettingsTab contest={contest()} onChanged={onChanged} />}
      />
    </Routes>,
    {
      apis: [
        [contestApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/contests': rootRouteRef },
      initialRouteEntries: ['/contests/finals'],
    },
  );
}

describe('SettingsTab', () => {
  it('saves a change and reloads the contest', async () => {
    const api = fakeApi();
    const onChanged = jest.fn(async () => {});
    await render(api, onChanged);
    const size = await screen.findByLabelText('Team size limit');
    await userEvent.clear(size);
    await userEvent.type(size, '6');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(api.updateContest).toHaveBeenCalledWith(
      'finals',
      expect.objectContaining({ teamSizeLimit: 6, name: 'Finals 2026' }),
    );
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();
  });

  it('shows the backend’s refusal instead of "Saved."', async () => {
    const api = fakeApi({
      updateContest: jest.fn(async () => {
        throw await responseError(
          400,
          'InputError',
          'an invite-only contest needs a registrationCode',
        );
      }),
    });
    await render(api);
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await screen.findByText(
        'an invite-only contest needs a registrationCode',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Saved.')).not.toBeInTheDocument();
  });

  it('deletes only after the slug is typed, then goes back to the list', async () => {
    const api = fakeApi();
    await render(api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Delete contest' }),
    );
    const dialog = await screen.findByRole('dialog');
    const remove = within(dialog).getByRole('button', { name: 'Delete' });
    expect(remove).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Slug'), 'final');
    expect(remove).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText('Slug'), 's');
    expect(remove).toBeEnabled();
    await userEvent.click(remove);
    expect(api.deleteContest).toHaveBeenCalledWith('finals');
    expect(await screen.findByText('The contests list')).toBeInTheDocument();
  });

  it('keeps the dialog open with the backend’s message when deleting fails', async () => {
    const api = fakeApi({
      deleteContest: jest.fn(async () => {
        throw await responseError(
          403,
          'NotAllowedError',
          'Not allowed: flagstage.contest.delete',
        );
      }),
    });
    await render(api);
    await userEvent.click(
      screen.getByRole('button', { name: 'Delete contest' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText('Slug'), 'finals');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    expect(
      await within(dialog).findByText('Not allowed: flagstage.contest.delete'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByText('The contests list')).not.toBeInTheDocument(),
    );
  });
});
