import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of an emulator that can answer the next N requests itself with an AWS
 * JSON-protocol error (e.g. DynamoDB `ProvisionedThroughputExceededException`), as the real
 * service would at the wire.
 */
export interface FaultProxy {
  endpoint: string;
  failNext(count: number, errorType: string): void;
  /** Requests seen (failed or forwarded). */
  requests: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let failures = 0;
  let errorType = '';
  const state = { requests: 0 };

  const server = createServer((req, res) => {
    state.requests += 1;
    if (failures > 0) {
      failures -= 1;
      req.resume();
      res
        .writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': errorType })
        .end(
          JSON.stringify({
            __type: `com.amazonaws.dynamodb.v20120810#${errorType}`,
            message: 'Injected fault',
          }),
        );
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    failNext: (count, type) => {
      failures = count;
      errorType = type;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
