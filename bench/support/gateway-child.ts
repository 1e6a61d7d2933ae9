import { loadConfig } from '../../src/app/config.js';
import { startGateway } from '../../src/app/gateway.js';

/**
 * A gateway in its own process, so the benchmark measures its memory alone. Reports its URL over
 * IPC, then answers `reset` (start a new peak window) and `peak` (highest RSS seen since).
 */
const gateway = await startGateway(loadConfig(process.env));
let peak = process.memoryUsage().rss;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 5).unref();

process.on('message', (message: unknown) => {
  if (message === 'reset') {
    (globalThis as { gc?: () => void }).gc?.();
    peak = process.memoryUsage().rss;
    process.send?.({ kind: 'reset', rss: peak });
  } else if (message === 'peak') {
    peak = Math.max(peak, process.memoryUsage().rss);
    const cpu = process.cpuUsage();
    process.send?.({ kind: 'peak', peak, rss: process.memoryUsage().rss, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } else if (message === 'stop') {
    void gateway.close().then(() => process.exit(0));
  }
});
process.send?.({ kind: 'ready', url: gateway.url });
