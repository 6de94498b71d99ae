import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** A service running in its own process, as deployed. Its logs go to stderr: stdout carries the figures. */
export interface ServiceProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  /** Answers 200 once the service can take the bench's requests. */
  healthPath: '/health/live' | '/health/ready';
  startTimeoutMs: number;
  stopTimeoutMs: number;
}

/**
 * A service's real entry point (`<package>/dist/main.js`) on a free port, resolved once its health route
 * answers and stopped with SIGTERM like in production (SIGKILL if it does not exit in time).
 */
export async function forkService(packageName: string, env: Record<string, string>, options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const main = join(dirname(require.resolve(`${packageName}/package.json`)), 'dist', 'main.js');
  const child = fork(main, [], { env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 2, 2, 'ipc'] });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(`${url}${options.healthPath}`, child, packageName, options.startTimeoutMs);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { url, child, stop: () => stopChild(child, () => child.kill('SIGTERM'), options.stopTimeoutMs) };
}

/** Asks the child to stop (`requestStop`) and resolves once it has exited, killing it after `timeoutMs`. */
export function stopChild(child: ChildProcess, requestStop: () => void, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    requestStop();
  });
}

async function waitUntilHealthy(url: string, child: ChildProcess, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    if (Date.now() > deadline) throw new Error(`${name} did not start within ${timeoutMs} ms`);
    const healthy = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function freePort(): Promise<number> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
