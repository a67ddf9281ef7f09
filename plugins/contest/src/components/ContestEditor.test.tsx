import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { contest, renderSettled, responseError } from '../__testUtils__/fakes';
import { ContestEditor, validateContestForm } from './ContestEditor';

const local = (value: string) => new Date(value).toISOString();

function setDate(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

async function fillRequired() {
  await userEvent.type(screen.getByLabelText('Slug'), 'winter-ctf');
  await userEvent.type(screen.getByLabelText('Name'), 'Winter CTF');
  setDate('Starts at', '2026-12-01T10:00');
  setDate('Ends at', '2026-12-02T10:00');
}

const submit = () =>
  userEvent.click(screen.getByRole('button', { name: 'Create contest' }));

describe('ContestEditor', () => {
  it('refuses an end before the start without calling the backend', async () => {
    const onSubmit = jest.fn(async () => {});
    await renderSettled(<ContestEditor onSubmit={onSubmit} />);
    await fillRequired();
    setDate('Ends at', '2026-12-01T09:00');
    await submit();
    expect(
      await screen.findByText('must be after the start'),
    ).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();

    // An end equal to the start is refused too.
    setDate('Ends at', '2026-12-01T10:00');
    await submit();
    expect(screen.getByText('must be after the start')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a freeze outside the window, a bad slug and bad numbers', async () => {
    const onSubmit = jest.fn(async () => {});
    await renderSettled(<ContestEditor onSubmit={onSubmit} />);
    await fillRequired();
    await userEvent.clear(screen.getByLabelText('Slug'));
    await userEvent.type(screen.getByLabelText('Slug'), 'Winter CTF');
    setDate('Scoreboard freezes at', '2026-12-03T10:00');
    await userEvent.clear(screen.getByLabelText('Team size limit'));
    await userEvent.type(screen.getByLabelText('Team size limit'), '0');
    await userEvent.type(screen.getByLabelText('Max attempts'), '2.5');
    await submit();
    expect(
      screen.getByText('must lie between the start and the end'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/lower-case letters, digits and -/),
    ).toBeInTheDocument();
    expect(screen.getByText('must be 1–100')).toBeInTheDocument();
    expect(screen.getByText('must be a whole number')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('creates with ISO times, parsed divisions, numbers and scoring defaults', async () => {
    const onSubmit = jest.fn(async () => {});
    await renderSettled(<ContestEditor onSubmit={onSubmit} />);
    await fillRequired();
    setDate('Scoreboard freezes at', '2026-12-02T08:00');
    await userEvent.type(screen.getByLabelText('Divisions'), 'open, student,');
    await userEvent.type(screen.getByLabelText('Max attempts'), '50');
    await userEvent.type(screen.getByLabelText('Initial value'), '1000');
    await userEvent.type(screen.getByLabelText('Minimum value'), '100');
    await userEvent.type(screen.getByLabelText('Decay'), '12.5');
    await submit();
    expect(onSubmit).toHaveBeenCalledWith({
      slug: 'winter-ctf',
      name: 'Winter CTF',
      startsAt: local('2026-12-01T10:00'),
      endsAt: local('2026-12-02T10:00'),
      freezeAt: local('2026-12-02T08:00'),
      divisions: ['open', 'student'],
      teamSizeLimit: 4,
      registration: 'open',
      submissionRatePerMinute: 10,
      maxAttempts: 50,
      scoringDefaults: { initial: 1000, minimum: 100, decay: 12.5 },
    });
  });

  it('shows the backend’s message when it refuses', async () => {
    const onSubmit = jest.fn(async () => {
      throw await responseError(
        409,
        'ConflictError',
        'A contest with slug "winter-ctf" exists',
      );
    });
    await renderSettled(<ContestEditor onSubmit={onSubmit} />);
    await fillRequired();
    await submit();
    expect(
      await screen.findByText('A contest with slug "winter-ctf" exists'),
    ).toBeInTheDocument();
  });

  it('edits an existing contest: no slug, clears freeze and limits with null', async () => {
    const onSubmit = jest.fn(async () => {});
    await renderSettled(
      <ContestEditor
        contest={contest({
          freezeAt: '2026-12-02T08:00:00.000Z',
          maxAttempts: 20,
          scoringDefaults: { minimum: 50 },
        })}
        onSubmit={onSubmit}
      />,
    );
    expect(screen.queryByLabelText('Slug')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Divisions')).toHaveValue('open, student');
    expect(screen.getByLabelText('Max attempts')).toHaveValue('20');
    setDate('Scoreboard freezes at', '');
    await userEvent.clear(screen.getByLabelText('Max attempts'));
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const patch = (onSubmit.mock.calls[0] as unknown[])[0];
    expect(patch).not.toHaveProperty('slug');
    expect(patch).toMatchObject({
      name: 'Finals 2026',
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-02T10:00:00.000Z',
      freezeAt: null,
      maxAttempts: null,
      divisions: ['open', 'student'],
      scoringDefaults: { minimum: 50 },
    });
  });
});

describe('validateContestForm', () => {
  const base = {
    slug: 'x1',
    name: 'X',
    startsAt: '2026-12-01T10:00',
    endsAt: '2026-12-02T10:00',
    freezeAt: '',
    divisions: '',
    teamSizeLimit: '4',
    registration: 'open' as const,
    registrationCode: '',
    submissionRatePerMinute: '10',
    maxAttempts: '',
    initial: '',
    minimum: '',
    decay: '',
    value: '',
  };

  it('needs a code to make a contest invite-only, but not to keep one', () => {
    expect(
      validateContestForm({ ...base, registration: 'invite' }).errors
        .registrationCode,
    ).toBe('an invite-only contest needs a code');
    expect(
      validateContestForm(
        { ...base, registration: 'invite' },
        contest({ registration: 'invite' }),
      ).errors.registrationCode,
    ).toBeUndefined();
    expect(
      validateContestForm({
        ...base,
        registration: 'invite',
        registrationCode: 'short',
      }).errors.registrationCode,
    ).toBe('at least 8 characters');
  });

  it('refuses a minimum above the initial value and duplicate divisions', () => {
    const { errors, request } = validateContestForm({
      ...base,
      initial: '100',
      minimum: '200',
      divisions: 'open, open',
    });
    expect(request).toBeUndefined();
    expect(errors.minimum).toBe('must not exceed the initial value');
    expect(errors.divisions).toBe('a division is named twice');
  });
});
