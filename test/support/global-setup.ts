import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';

/** Tests start what they need: the machine's Redis on 127.0.0.1:6379, started as shared/services.md says if down. */
export default async function setup(): Promise<void> {
  if (await reachable(6379)) return;
  execFileSync('redis-server', [
    '--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no',
    '--dir', '/var/lib/redis', '--logfile', '/var/log/redis/ci.log',
  ]);
  for (let i = 0; i < 50 && !(await reachable(6379)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await reachable(6379))) throw new Error('Redis is not reachable on 127.0.0.1:6379 and could not be started');
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
