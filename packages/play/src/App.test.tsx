import { screen, within } from '@testing-library/react';
import { render } from './__testUtils__/render';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  API,
  apiError,
  challenge,
  contest,
  me,
  server,
  setupMockApi,
} from './__testUtils__/server';
import { App } from './App';

setupMockApi();

describe('App', () => {
  it('registers, creates a team and shows the board by category with locked and solved states', async () => {
    let session: any = null;
    let registered: any;
    server.use(
      http.get(`${API}/me`, () =>
        session
          ? HttpResponse.json(session)
          : apiError(401, 'AuthenticationError', 'Sign in first'),
      ),
      http.post(`${API}/contests/demo/register`, async ({ request }) => {
        registered = await request.json();
        session = { ...me, team: null };
        return HttpResponse.json(
          { id: 'c1', username: 'alice' },
          { status: 201 },
        );
      }),
      http.post(`${API}/teams`, async ({ request }) => {
        const body = (await request.json()) as any;
        session = { ...me, team: { ...me.team!, name: body.name } };
        return HttpResponse.json(
          { id: 't1', name: body.name },
          { status: 201 },
        );
      }),
      http.get(`${API}/challenges`, () =>
        HttpResponse.json({
          items: [
            challenge({ solves: 3, value: 475, solved: true }),
            challenge({
              name: 'tcp-math-oracle',
              title: 'Math Oracle',
              category: 'misc',
              locked: true,
              requires: ['web-cookie-jar'],
              description: '',
            }),
            challenge({
              name: 'crypto-xor-notes',
              title: 'XOR Notes',
              category: 'crypto',
              type: 'static',
            }),
          ],
        }),
      ),
    );
    const user = userEvent.setup();
    render(<App />);

    expect(
      await screen.findByRole('heading', { name: 'Create an account' }),
    ).toBeInTheDocument();
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(registered).toEqual({
      username: 'alice',
      password: 'correct horse battery',
    });

    expect(
      await screen.findByRole('heading', {
        name: 'Join the contest with a team',
      }),
    ).toBeInTheDocument();
    await user.type(screen.getByLabelText('Team name'), 'Alices');
    await user.click(screen.getByRole('button', { name: 'Create team' }));

    expect(
      await screen.findByRole('heading', { name: 'Challenges' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'web' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'crypto' })).toBeInTheDocument();
    expect(screen.getByText('Solved 1 of 3')).toBeInTheDocument();
    const jar = screen.getByRole('link', {
      name: /^Cookie Jar, 475 points, 3 solves, solved/,
    });
    expect(within(jar).getByText('✓ Solved')).toBeInTheDocument();
    const oracle = screen.getByRole('link', { name: /Math Oracle.*locked/ });
    expect(
      within(oracle).getByText(/Solve Cookie Jar to unlock/),
    ).toBeInTheDocument();
  });

  it('shows a failed sign-in as the server sentence', async () => {
    server.use(
      http.get(`${API}/me`, () =>
        apiError(401, 'AuthenticationError', 'Sign in first'),
      ),
      http.post(`${API}/contests/demo/login`, () =>
        apiError(403, 'NotAllowedError', 'Wrong username or password'),
      ),
    );
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Sign in' }));
    await user.type(screen.getByLabelText('Username'), 'alice');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getAllByRole('button', { name: 'Sign in' })[1]);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Wrong username or password.',
    );
  });

  it('signs out and returns to the account form', async () => {
    let signedIn = true;
    server.use(
      http.get(`${API}/me`, () =>
        signedIn
          ? HttpResponse.json(me)
          : apiError(401, 'AuthenticationError', 'Sign in first'),
      ),
      http.post(`${API}/logout`, () => {
        signedIn = false;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const user = userEvent.setup();
    render(<App />);
    expect(await screen.findByText('alice · Alices')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(
      await screen.findByRole('heading', { name: 'Create an account' }),
    ).toBeInTheDocument();
    expect(signedIn).toBe(false);
  });

  it('says when the contest has not opened yet', async () => {
    server.use(
      http.get(`${API}/contests/demo`, () =>
        HttpResponse.json({ ...contest, startsAt: '2098-01-01T00:00:00.000Z' }),
      ),
      http.get(`${API}/challenges`, () => HttpResponse.json({ items: [] })),
    );
    render(<App />);
    expect(
      await screen.findByText(/Demo CTF opens .* Challenges appear then\./),
    ).toBeInTheDocument();
    expect(screen.getByText(/No challenges are open yet/)).toBeInTheDocument();
  });
});
