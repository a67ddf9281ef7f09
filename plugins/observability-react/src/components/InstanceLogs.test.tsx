import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { observabilityApiRef } from '../api';
import { fakeApi, renderSettled, responseError } from '../__testUtils__/fakes';
import { InstanceLogs } from './InstanceLogs';

describe('InstanceLogs', () => {
  it('shows the challenge pod log, the workflow step logs and a Loki search fixed to the instance', async () => {
    const api = fakeApi({
      getPodLogs: jest.fn(async () => ({
        namespace: 'fs-i1',
        pod: 'challenge-abcde',
        container: 'challenge',
        phase: 'Running',
        log: 'listening on :8080\n',
      })),
      getWorkflowLogs: jest.fn(async () => ({
        workflow: 'start-i1',
        namespace: 'argo',
        pods: [
          {
            pod: 'start-i1-namespace-1',
            container: 'main',
            phase: 'Succeeded',
            log: 'namespace/fs-i1 created\n',
          },
        ],
      })),
    });
    await renderSettled(<InstanceLogs instanceId="i1" tailLines={100} />, {
      apis: [[observabilityApiRef, api]],
    });
    expect(api.getPodLogs).toHaveBeenCalledWith('i1', { tailLines: 100 });
    expect(api.getWorkflowLogs).toHaveBeenCalledWith('i1', { tailLines: 100 });
    expect(await screen.findByLabelText('challenge pod log')).toHaveTextContent(
      'listening on :8080',
    );
    expect(
      screen.getByText('fs-i1 / challenge-abcde (challenge)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('start-i1-namespace-1 (main) — Succeeded'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('log of start-i1-namespace-1'),
    ).toHaveTextContent('namespace/fs-i1 created');
    expect(api.searchLogs).toHaveBeenCalledWith(
      expect.objectContaining({ instance: 'i1' }),
    );
    expect(screen.getByLabelText('Instance')).toHaveValue('i1');
    expect(screen.getByLabelText('Instance')).toHaveAttribute('readonly');
  });

  it('shows why a log is missing, and reads it again on Refresh', async () => {
    const api = fakeApi({
      getPodLogs: jest
        .fn()
        .mockRejectedValueOnce(
          await responseError(
            404,
            'NotFoundError',
            'no challenge pod in namespace fs-i1',
          ),
        )
        .mockResolvedValueOnce({
          namespace: 'fs-i1',
          pod: 'challenge-abcde',
          container: 'challenge',
          log: 'up\n',
        }),
      getWorkflowLogs: jest.fn(async () => {
        throw await responseError(
          404,
          'NotFoundError',
          'no Kubernetes cluster configured',
        );
      }),
    });
    await renderSettled(<InstanceLogs instanceId="i1" />, {
      apis: [[observabilityApiRef, api]],
    });
    expect(
      await screen.findByText('no challenge pod in namespace fs-i1'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('no Kubernetes cluster configured'),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh pod log' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('challenge pod log')).toHaveTextContent(
        'up',
      ),
    );
    expect(api.getPodLogs).toHaveBeenCalledTimes(2);
  });
});
