import net from 'node:net';
import { once } from 'node:events';

/** A loopback TCP port free right now, for a server a test configures by port. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}
