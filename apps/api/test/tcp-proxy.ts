import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of a real server, that a test can cut and
 * restore on the same port: a way to make Redis "go away" for one test without
 * touching the Redis server that other tests and processes use. It can also
 * lose one answer: the request arrives, the server acts on it, and the client
 * sees its connection break.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let answersToLose = 0;
  const server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (answersToLose === 0) return void client.write(chunk);
      answersToLose -= 1;
      drop();
    });
    upstream.on('end', () => client.end());
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    /** Refuses new connections and breaks the open ones. */
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await closed;
    },
    /** The next answer of the target is not relayed: that connection breaks instead, both ways. */
    loseNextAnswer() {
      answersToLose += 1;
    },
    async restore() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    },
  };
}
