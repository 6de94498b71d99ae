import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { forkService, stopChild } from '../service-process';
import type { UpstreamMessage } from './upstream-process';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

/** A service running in its own process, as deployed. */
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
      resolve({ url: message.url, stop: () => stopChild(child, () => child.send('stop'), STOP_TIMEOUT_MS) });
    });
  });
}

/** The real gateway process (`services/gateway/dist/main.js`), stopped with SIGTERM like in production. */
export function startGatewayProcess(env: Record<string, string>): Promise<ChildService> {
  return forkService('@crm/gateway', env, { healthPath: '/health/live', startTimeoutMs: START_TIMEOUT_MS, stopTimeoutMs: STOP_TIMEOUT_MS });
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
