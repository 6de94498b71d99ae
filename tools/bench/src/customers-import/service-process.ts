import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const SAMPLE_EVERY_MS = 200;

/** The customers service in a process of its own (`services/customers/dist/main.js`), as deployed, watched for memory. */
export interface CustomersProcess {
  url: string;
  pid: number;
  /** Highest resident set size seen (VmHWM, the kernel's own peak), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

export async function startCustomersProcess(env: Record<string, string>): Promise<CustomersProcess> {
  const port = await freePort();
  const main = join(dirname(require.resolve('@crm/customers/package.json')), 'dist', 'main.js');
  // Its logs go to stderr: stdout carries the figures.
  const child = fork(main, [], { env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 2, 2, 'ipc'] });
  const url = `http://127.0.0.1:${port}`;
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(child.pid, 'VmHWM'))), SAMPLE_EVERY_MS);
  try {
    await waitUntilLive(url, child);
  } catch (error) {
    clearInterval(sampler);
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid as number,
    peakRss: () => (peak = Math.max(peak, residentBytes(child.pid, 'VmHWM'))),
    stop: async () => {
      clearInterval(sampler);
      await stopChild(child);
    },
  };
}

/** A field of /proc/<pid>/status in bytes (VmRSS now, VmHWM the peak); 0 once the process is gone. */
function residentBytes(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function waitUntilLive(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`customers exited with code ${child.exitCode} while starting`);
    if (Date.now() > deadline) throw new Error(`customers did not start within ${START_TIMEOUT_MS} ms`);
    const live = await fetch(`${url}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
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
