import { screen, waitFor, within } from '@testing-library/react';
import { deploymentApiRef } from '../api';
import { fakeApi, renderSettled } from '../__testUtils__/fakes';
import { QueueCards } from './QueueCards';

const count = (name: string) =>
  within(screen.getByRole('group', { name })).getByTestId('count');

describe('QueueCards', () => {
  it('shows the count per state (0 when missing), jobs ready and dead letters', async () => {
    const api = fakeApi({
      getQueue: jest.fn(async () => ({
        ready: 4,
        dead: 2,
        instances: { RUNNING: 3, FAILED: 1 },
      })),
    });
    await renderSettled(<QueueCards refreshMs={60_000} />, {
      apis: [[deploymentApiRef, api]],
    });
    await waitFor(() => expect(count('RUNNING')).toHaveTextContent('3'));
    expect(count('FAILED')).toHaveTextContent('1');
    expect(count('QUEUED')).toHaveTextContent('0');
    expect(count('EXPIRED')).toHaveTextContent('0');
    expect(count('Queue: ready')).toHaveTextContent('4');
    expect(count('Queue: dead letters')).toHaveTextContent('2');
    // Dead letters stand out.
    expect(count('Queue: dead letters')).toHaveStyle({ color: '#c62828' });
    expect(count('Queue: ready')).not.toHaveStyle({ color: '#c62828' });
  });

  it('refreshes on its own', async () => {
    let ready = 1;
    const api = fakeApi({
      getQueue: jest.fn(async () => ({ ready, dead: 0, instances: {} })),
    });
    await renderSettled(<QueueCards refreshMs={50} />, {
      apis: [[deploymentApiRef, api]],
    });
    await waitFor(() => expect(count('Queue: ready')).toHaveTextContent('1'));
    ready = 7;
    await waitFor(() => expect(count('Queue: ready')).toHaveTextContent('7'));
  });
});
