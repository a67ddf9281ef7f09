import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockApis } from '@backstage/frontend-test-utils';
import type { Announcement } from '@flagstage/plugin-contest-common';
import { contestApiRef } from '../api';
import { fakeApi, renderSettled } from '../__testUtils__/fakes';
import { AnnouncementsTab } from './AnnouncementsTab';

describe('AnnouncementsTab', () => {
  it('posts an announcement and lists it', async () => {
    let items: Announcement[] = [];
    const api = fakeApi({
      listAnnouncements: jest.fn(async () => items),
      postAnnouncement: jest.fn(async (_slug, a) => {
        items = [{ id: 1, ...a, createdAt: '2026-12-01T10:00:00.000Z' }];
        return { id: 1, ...a };
      }),
    });
    await renderSettled(<AnnouncementsTab slug="finals" />, {
      apis: [
        [contestApiRef, api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
    });
    expect(
      await screen.findByText('No announcements yet.'),
    ).toBeInTheDocument();
    const post = screen.getByRole('button', { name: 'Post to contestants' });
    expect(post).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Title'), ' Hint for crypto ');
    await userEvent.type(
      screen.getByLabelText('Message'),
      'XOR is its own inverse.',
    );
    await userEvent.click(post);
    expect(api.postAnnouncement).toHaveBeenCalledWith('finals', {
      title: 'Hint for crypto',
      body: 'XOR is its own inverse.',
    });
    expect(
      await screen.findByText('Posted “Hint for crypto”.'),
    ).toBeInTheDocument();
    expect(screen.getByText('XOR is its own inverse.')).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveValue('');
  });
});
