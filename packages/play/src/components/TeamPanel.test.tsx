import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  API,
  apiError,
  contest,
  me,
  server,
  setupMockApi,
} from '../__testUtils__/server';
import { TeamPanel } from './TeamPanel';

setupMockApi();

describe('TeamPanel', () => {
  it('shows and copies the invite code, and leaves after a confirmation', async () => {
    let left = false;
    server.use(
      http.post(`${API}/teams/leave`, () => {
        left = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const onChanged = jest.fn();
    const user = userEvent.setup();
    const copied = jest
      .spyOn(navigator.clipboard, 'writeText')
      .mockResolvedValue(undefined);
    render(<TeamPanel me={me} contest={contest} onChanged={onChanged} />);
    expect(screen.getByTestId('invite-code')).toHaveTextContent(
      'inv-1234567890',
    );
    await user.click(screen.getByRole('button', { name: 'Copy invite code' }));
    expect(copied).toHaveBeenCalledWith('inv-1234567890');
    expect(screen.getByText('Copied.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Leave team' }));
    expect(left).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Yes, leave' }));
    expect(left).toBe(true);
    expect(onChanged).toHaveBeenCalled();
  });

  it('explains a refused leave', async () => {
    server.use(
      http.post(`${API}/teams/leave`, () =>
        apiError(
          409,
          'ConflictError',
          'A team with solves cannot lose its last member',
        ),
      ),
    );
    const user = userEvent.setup();
    render(<TeamPanel me={me} contest={contest} onChanged={jest.fn()} />);
    await user.click(screen.getByRole('button', { name: 'Leave team' }));
    await user.click(screen.getByRole('button', { name: 'Yes, leave' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'A team with solves cannot lose its last member.',
    );
  });

  it('joins with an invite code and creates a team in a division', async () => {
    let joined: any;
    let created: any;
    server.use(
      http.post(`${API}/teams/join`, async ({ request }) => {
        joined = await request.json();
        return apiError(404, 'NotFoundError', 'No team with that invite code');
      }),
      http.post(`${API}/teams`, async ({ request }) => {
        created = await request.json();
        return HttpResponse.json({ id: 't2', name: 'Bobs' }, { status: 201 });
      }),
    );
    const user = userEvent.setup();
    const onChanged = jest.fn();
    render(
      <TeamPanel
        me={{ ...me, team: null }}
        contest={{ ...contest, divisions: ['student', 'open'] }}
        onChanged={onChanged}
      />,
    );
    await user.type(screen.getByLabelText('Invite code'), '  wrongcode123 ');
    await user.click(screen.getByRole('button', { name: 'Join team' }));
    expect(joined).toEqual({ inviteCode: 'wrongcode123' });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No team with that invite code.',
    );
    expect(onChanged).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText('Team name'), 'Bobs');
    await user.selectOptions(screen.getByLabelText('Division'), 'open');
    await user.click(screen.getByRole('button', { name: 'Create team' }));
    expect(created).toEqual({ name: 'Bobs', division: 'open' });
    expect(onChanged).toHaveBeenCalledTimes(1);
  });
});
