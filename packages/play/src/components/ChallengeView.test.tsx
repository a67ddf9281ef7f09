import { screen, within } from '@testing-library/react';
import { render } from '../__testUtils__/render';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  API,
  apiError,
  challenge,
  server,
  setupMockApi,
} from '../__testUtils__/server';
import { ChallengeView } from './ChallengeView';

setupMockApi();

const jar = challenge({
  type: 'static',
  description:
    'Find the **flag**.\n\n<img src=x onerror="window.hacked=1"><script>window.hacked=2</script>',
  attachments: [
    { name: 'notes.zip', url: '/files/notes.zip', sha256: 'abc123' },
  ],
  hints: [
    { index: 0, title: 'Where is state kept?', cost: 50, content: null },
    { index: 1, title: 'Free one', cost: 0, content: 'Look at *cookies*.' },
  ],
});

function renderJar(onChanged = jest.fn(), c = jar) {
  render(<ChallengeView challenge={c} all={[c]} onChanged={onChanged} />);
  return onChanged;
}

describe('ChallengeView', () => {
  it('renders the description safely, with attachments and hints', () => {
    renderJar();
    expect(
      screen.getByRole('heading', { name: 'Cookie Jar' }),
    ).toBeInTheDocument();
    expect(screen.getByText('flag').tagName).toBe('STRONG');
    expect((window as any).hacked).toBeUndefined();
    expect(document.querySelector('script, [onerror]')).toBeNull();
    expect(screen.getByRole('link', { name: 'notes.zip' })).toHaveAttribute(
      'href',
      '/files/notes.zip',
    );
    expect(screen.getByText('cookies').tagName).toBe('EM');
  });

  it('unlocks a hint only after a confirmation naming its cost', async () => {
    const unlocked: string[] = [];
    server.use(
      http.post(
        `${API}/challenges/web-cookie-jar/hints/:index/unlock`,
        ({ params }) => {
          unlocked.push(String(params.index));
          return HttpResponse.json({
            title: 'x',
            content: 'y',
            cost: 50,
            charged: true,
          });
        },
      ),
    );
    const user = userEvent.setup();
    const onChanged = renderJar();
    await user.click(
      screen.getByRole('button', { name: 'Unlock hint (50 points)' }),
    );
    const confirm = screen.getByRole('group', {
      name: 'Confirm unlocking Where is state kept?',
    });
    expect(confirm).toHaveTextContent('costs your team 50 points');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(unlocked).toEqual([]);
    await user.click(
      screen.getByRole('button', { name: 'Unlock hint (50 points)' }),
    );
    await user.click(
      screen.getByRole('button', { name: 'Unlock for 50 points' }),
    );
    expect(unlocked).toEqual(['0']);
    expect(onChanged).toHaveBeenCalled();
  });

  it.each([
    [
      { correct: true, alreadySolved: false },
      'Correct! The points are your team’s.',
    ],
    [
      { correct: true, alreadySolved: true },
      'Correct — your team had already solved this one.',
    ],
    [
      { correct: false, alreadySolved: false },
      'Incorrect flag. Check it and try again.',
    ],
  ])('gives feedback for %j', async (result, text) => {
    let sent: any;
    server.use(
      http.post(
        `${API}/challenges/web-cookie-jar/submit`,
        async ({ request }) => {
          sent = await request.json();
          return HttpResponse.json(result);
        },
      ),
    );
    const user = userEvent.setup();
    const onChanged = renderJar();
    await user.type(screen.getByLabelText('Flag'), ' flagstage{{x} ');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByText(text)).toBeInTheDocument();
    expect(sent).toEqual({ flag: 'flagstage{x}' });
    expect(onChanged).toHaveBeenCalledTimes(result.correct ? 1 : 0);
  });

  it('says how long to wait when rate-limited, and blocks the button meanwhile', async () => {
    server.use(
      http.post(`${API}/challenges/web-cookie-jar/submit`, () =>
        apiError(
          429,
          'TooManyRequestsError',
          'Too many submissions for this challenge; wait a minute',
          {
            'Retry-After': '37',
          },
        ),
      ),
    );
    const user = userEvent.setup();
    renderJar();
    await user.type(screen.getByLabelText('Flag'), 'flagstage{{x}');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Too many submissions for this challenge; wait a minute. Try again in 37 seconds.',
    );
    expect(screen.getByRole('button', { name: /^Wait 3\d s$/ })).toBeDisabled();
  });

  it('says when the contest is not open', async () => {
    server.use(
      http.post(`${API}/challenges/web-cookie-jar/submit`, () =>
        apiError(403, 'NotAllowedError', 'The contest is not running'),
      ),
    );
    const user = userEvent.setup();
    renderJar();
    await user.type(screen.getByLabelText('Flag'), 'flagstage{{x}');
    await user.click(screen.getByRole('button', { name: 'Submit' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The contest is not running.',
    );
  });

  it('shows a locked challenge with what unlocks it and no flag form', () => {
    const locked = challenge({
      name: 'tcp-math-oracle',
      title: 'Math Oracle',
      locked: true,
      requires: ['web-cookie-jar'],
      description: '',
    });
    render(
      <ChallengeView
        challenge={locked}
        all={[locked, challenge({})]}
        onChanged={jest.fn()}
      />,
    );
    expect(screen.getByRole('note')).toHaveTextContent(
      'Locked. Solve Cookie Jar to unlock this challenge.',
    );
    expect(screen.queryByLabelText('Flag')).toBeNull();
  });
});
