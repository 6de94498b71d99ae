import { readFileSync } from 'node:fs';
import { forkService } from '../service-process';

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
  const service = await forkService('@crm/customers', env, { healthPath: '/health/ready', startTimeoutMs: START_TIMEOUT_MS, stopTimeoutMs: STOP_TIMEOUT_MS });
  const pid = service.child.pid as number;
  let peak = 0;
  const sample = (): number => (peak = Math.max(peak, residentBytes(pid, 'VmHWM')));
  const sampler = setInterval(sample, SAMPLE_EVERY_MS);
  return {
    url: service.url,
    pid,
    peakRss: sample,
    stop: async () => {
      clearInterval(sampler);
      await service.stop();
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
