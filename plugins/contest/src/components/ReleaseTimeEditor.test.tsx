import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderSettled } from '../__testUtils__/fakes';
import { ReleaseTimeEditor } from './ReleaseTimeEditor';

describe('ReleaseTimeEditor', () => {
  it('sets a release time as ISO, and clears it back to "with the contest"', async () => {
    const onSave = jest.fn(async () => {});
    await renderSettled(
      <ReleaseTimeEditor
        name="web-cookie-jar"
        releaseAt={null}
        onSave={onSave}
      />,
    );
    expect(screen.getByText('With the contest')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Change release of web-cookie-jar' }),
    );
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Release time of web-cookie-jar'), {
      target: { value: '2026-12-01T12:30' },
    });
    await userEvent.click(save);
    expect(onSave).toHaveBeenLastCalledWith(
      new Date('2026-12-01T12:30').toISOString(),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Change release of web-cookie-jar' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(onSave).toHaveBeenLastCalledWith(null);
  });
});
