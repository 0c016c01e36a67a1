import { createServer } from 'node:net';

/**
 * Ports to listen on are drawn below Linux's ephemeral range (32768–60999 by default): a port the
 * OS hands out with `listen(0)` comes from that range, and so does the local port of every outgoing
 * connection the other test files open meanwhile; one of those took a port between its check here
 * and the server's own listen (CI: "EADDRINUSE 127.0.0.1:43241" in test/main.test.ts).
 */
const LOWEST = 20_000;
const SPAN = 12_000;
const TRIES = 50;

/** Whether `port` can be listened on now, on 127.0.0.1. */
function listenable(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A port nothing listens on now, outside the range the OS gives outgoing connections. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < TRIES; i++) {
    const port = LOWEST + Math.floor(Math.random() * SPAN);
    if (await listenable(port)) return port;
  }
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
