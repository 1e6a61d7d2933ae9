import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The raw-copy baseline's receiver, in its own process like the gateway: reads a request body,
 * counts its bytes and answers the count. Nothing else, so it measures loopback HTTP itself.
 */
const server = createServer((req, res) => {
  let received = 0;
  req.on('data', (piece: Buffer) => (received += piece.length));
  req.on('end', () => res.end(String(received)));
});
server.listen(0, '127.0.0.1', () => {
  console.log(`byte sink listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
