import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { UpstreamMessage } from './upstream-process';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** A service running in its own process, as deployed. Its logs go to stderr: stdout carries the figures. */
export interface ChildService {
  url: string;
  stop(): Promise<void>;
}

/** The bench upstream, started with `createService` in a child process. */
export function startUpstreamProcess(env: Record<string, string>): Promise<ChildService> {
  const child = fork(join(__dirname, 'upstream-process.js'), [], { env: { ...process.env, ...env }, stdio: ['ignore', 2, 2, 'ipc'] });
  return new Promise((resolve, reject) => {
    const { fail, started } = watchStart(child, 'upstream', reject);
    child.once('message', (message: UpstreamMessage) => {
      started();
      if ('error' in message) return fail(new Error(`upstream failed to start: ${message.error}`));
      resolve({ url: message.url, stop: () => stopChild(child, () => child.send('stop')) });
    });
  });
}

/** The real gateway process (`services/gateway/dist/main.js`), stopped with SIGTERM like in production. */
export async function startGatewayProcess(env: Record<string, string>): Promise<ChildService> {
  const port = await freePort();
  const main = join(dirname(require.resolve('@crm/gateway/package.json')), 'dist', 'main.js');
  const child = fork(main, [], { env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 2, 2, 'ipc'] });
  const url = `http://127.0.0.1:${port}`;
  await new Promise<void>((resolve, reject) => {
    const { fail, started } = watchStart(child, 'gateway', reject);
    void waitUntilLive(url, child).then(() => {
      started();
      resolve();
    }, fail);
  });
  return { url, stop: () => stopChild(child, () => child.kill('SIGTERM')) };
}

/** Kills the child if it exits or stalls while starting; `started` disarms both watches once it is up. */
function watchStart(child: ChildProcess, name: string, reject: (error: Error) => void): { fail: (error: Error) => void; started: () => void } {
  const onExit = (code: number | null): void => fail(new Error(`${name} exited with code ${code} while starting`));
  const timer = setTimeout(() => fail(new Error(`${name} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
  const started = (): void => {
    clearTimeout(timer);
    child.off('exit', onExit);
  };
  const fail = (error: Error): void => {
    started();
    child.kill('SIGKILL');
    reject(error);
  };
  child.once('exit', onExit);
  return { fail, started };
}

async function waitUntilLive(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with code ${child.exitCode}`);
    const live = await fetch(`${url}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopChild(child: ChildProcess, requestStop: () => void): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    requestStop();
  });
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
