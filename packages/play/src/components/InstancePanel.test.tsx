import { screen } from '@testing-library/react';
import { render } from '../__testUtils__/render';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import type { PublicInstance } from '@flagstage/plugin-contest-common';
import { API, apiError, server, setupMockApi } from '../__testUtils__/server';
import { InstancePanel } from './InstancePanel';

setupMockApi();

const expiresAt = new Date(Date.now() + 30 * 60_000).toISOString();
const base = (over: Partial<PublicInstance>): PublicInstance => ({
  id: 'i1',
  challenge: 'challenge:default/web-cookie-jar',
  state: 'REQUESTED',
  failureReason: null,
  protocol: 'http',
  createdAt: new Date().toISOString(),
  expiresAt,
  extendableFrom: new Date(Date.now() + 20 * 60_000).toISOString(),
  access: null,
  ...over,
});

describe('InstancePanel', () => {
  it('starts an instance, follows its state without reload, shows the link, countdown and stops it', async () => {
    const states: PublicInstance['state'][] = [
      'QUEUED',
      'DEPLOYING',
      'RUNNING',
    ];
    let current: PublicInstance | null = null;
    server.use(
      http.get(`${API}/challenges/web-cookie-jar/instance`, () => {
        if (
          current &&
          current.state !== 'RUNNING' &&
          current.state !== 'STOPPING'
        ) {
          const state = states.shift()!;
          current = base({
            state,
            access:
              state === 'RUNNING'
                ? {
                    protocol: 'http',
                    url: 'http://i1.gateway.localhost:8080/?token=t',
                    expiresAt: current.expiresAt!,
                  }
                : null,
          });
        }
        return HttpResponse.json({ instance: current });
      }),
      http.post(`${API}/challenges/web-cookie-jar/instance`, () => {
        current = base({ state: 'REQUESTED' });
        return HttpResponse.json({ instance: current }, { status: 202 });
      }),
      http.delete(`${API}/challenges/web-cookie-jar/instance`, () => {
        current = base({ state: 'STOPPING' });
        return HttpResponse.json({ instance: current });
      }),
    );
    const user = userEvent.setup();
    render(<InstancePanel challenge="web-cookie-jar" />);
    expect(
      await screen.findByText('No instance is running for your team.'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Start instance' }));
    expect(await screen.findByText(/^Requested/)).toBeInTheDocument();
    expect(
      await screen.findByText(/^Deploying/, {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Running', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'Open instance ↗' }),
    ).toHaveAttribute('href', 'http://i1.gateway.localhost:8080/?token=t');
    expect(screen.getByText(/^(29|30) min \d\d s$/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Extend' })).toBeDisabled();
    expect(screen.getByText(/Extending opens in/)).toBeInTheDocument();

    const copied = jest
      .spyOn(navigator.clipboard, 'writeText')
      .mockResolvedValue(undefined);
    await user.click(
      screen.getByRole('button', { name: 'Copy instance link' }),
    );
    expect(copied).toHaveBeenCalledWith(
      'http://i1.gateway.localhost:8080/?token=t',
    );

    await user.click(screen.getByRole('button', { name: 'Stop instance' }));
    expect(await screen.findByText('Stopping…')).toBeInTheDocument();
  }, 15000);

  it('shows the nc and websocat commands of a TCP instance', async () => {
    server.use(
      http.get(`${API}/challenges/tcp-math-oracle/instance`, () =>
        HttpResponse.json({
          instance: base({
            state: 'RUNNING',
            protocol: 'tcp',
            extendableFrom: new Date(Date.now() - 1000).toISOString(),
            access: {
              protocol: 'tcp',
              token: 'tok',
              host: 'localhost',
              port: 8081,
              command: "{ echo 'tok'; cat; } | nc localhost 8081",
              websocketCommand:
                "websocat 'ws://gateway.localhost:8080/tcp?token=tok'",
              expiresAt: new Date(Date.now() + 600_000).toISOString(),
            },
          }),
        }),
      ),
      http.post(`${API}/challenges/tcp-math-oracle/instance/extend`, () =>
        apiError(
          409,
          'ConflictError',
          'This instance was extended the maximum number of times',
        ),
      ),
    );
    const user = userEvent.setup();
    render(<InstancePanel challenge="tcp-math-oracle" />);
    expect(
      await screen.findByText("{ echo 'tok'; cat; } | nc localhost 8081"),
    ).toBeInTheDocument();
    expect(
      screen.getByText("websocat 'ws://gateway.localhost:8080/tcp?token=tok'"),
    ).toBeInTheDocument();
    const copied = jest
      .spyOn(navigator.clipboard, 'writeText')
      .mockResolvedValue(undefined);
    await user.click(screen.getByRole('button', { name: 'Copy nc command' }));
    expect(copied).toHaveBeenCalledWith(
      "{ echo 'tok'; cat; } | nc localhost 8081",
    );
    await user.click(screen.getByRole('button', { name: 'Extend' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This instance was extended the maximum number of times.',
    );
  });

  it('explains a refused start under backpressure', async () => {
    server.use(
      http.post(`${API}/challenges/web-cookie-jar/instance`, () =>
        apiError(503, 'ServiceUnavailableError', 'queue full', {
          'Retry-After': '5',
        }),
      ),
    );
    const user = userEvent.setup();
    render(<InstancePanel challenge="web-cookie-jar" />);
    await user.click(
      await screen.findByRole('button', { name: 'Start instance' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The platform is busy right now. Try again in 5 seconds.',
    );
  });
});
