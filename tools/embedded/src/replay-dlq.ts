import 'reflect-metadata';
import { createService } from '@crm/platform/bootstrap';
import { MessagingModule } from '@crm/platform/messaging';
import { findService } from './discover-services';

/**
 * `npm run replay-dlq -- <service> [--topic <topic>]`: hands the service's dead letters back to its
 * handlers (after the cause was fixed). Starts the service with its usual configuration
 * (DATABASE_URL, KAFKA_BROKERS) on a free port, replays, and stops.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((arg) => !arg.startsWith('--'));
  const topicIndex = args.indexOf('--topic');
  const topic = topicIndex >= 0 ? args[topicIndex + 1] : undefined;
  if (!name || (topicIndex >= 0 && !topic)) {
    console.error('usage: npm run replay-dlq -- <service> [--topic <topic>]');
    process.exit(2);
  }
  const service = findService(name);
  if (!service.database) {
    console.log(`${name} consumes no events: nothing to replay`);
    return;
  }
  const running = await createService(service, { port: 0, host: '127.0.0.1' });
  try {
    const { replayed } = await running.app.get(MessagingModule).replayDeadLetters({ topic });
    console.log(`${name}: replayed ${replayed} dead letter(s)${topic ? ` of ${topic}` : ''}`);
  } finally {
    await running.close();
  }
}

main().catch((error) => {
  console.error(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
