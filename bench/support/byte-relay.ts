import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The two-hop reference: forwards each request body, as it arrives, to the byte sink at SINK_URL
 * and answers what the sink answers. The least any proxy in between (the gateway) must do.
 */
const sink = new URL(process.env.SINK_URL ?? '');
const server = createServer((req, res) => {
  const out = request(sink, { method: 'PUT', headers: { 'content-length': req.headers['content-length'] ?? '0' } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502);
    answer.pipe(res);
  });
  out.on('error', () => res.destroy());
  req.pipe(out);
});
server.listen(0, '127.0.0.1', () => {
  console.log(`byte relay listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
