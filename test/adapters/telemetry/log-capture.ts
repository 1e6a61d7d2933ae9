import { PassThrough } from 'node:stream';

/** A writable stream that keeps what was written, for asserting on emitted log lines. */
export interface LogCapture {
  stream: PassThrough;
  text(): string;
  lines(): Array<Record<string, unknown>>;
}

export function makeLogCapture(): LogCapture {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const text = (): string => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Winston writes asynchronously through its transform streams; let it drain. */
export async function drain(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}
