import 'reflect-metadata';
import { createService } from '@crm/platform/bootstrap';
import { benchUpstream } from './bench-upstream';

/** What the upstream child process reports to the bench over IPC. */
export type UpstreamMessage = { url: string } | { error: string };

/** Child-process entry: starts the bench upstream, reports its URL, stops gracefully when told to. */
async function serve(): Promise<void> {
  const running = await createService(benchUpstream, { host: '127.0.0.1', port: 0 });
  process.on('message', (message) => {
    if (message === 'stop') void running.close().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ url: running.url } satisfies UpstreamMessage);
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    process.send?.({ error: error instanceof Error ? error.message : String(error) } satisfies UpstreamMessage);
    process.exit(1);
  });
}
