import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { TenantTransactions } from '@crm/platform/database';
import { DuplicateDetector } from './duplicate-detector';
import { DuplicatesRepository } from './duplicates.repository';

/** Customers per transaction of a scan: each batch is one set-based detection statement. */
export const SCAN_BATCH_SIZE = 500;

const INTERRUPTED = 'interrupted: the service stopped before the scan finished';

/**
 * Runs full scans in the background, batch after batch, each batch in its own transaction with its
 * progress, so a crash loses at most one batch of work and never half of a batch. Restart safety: a
 * running scan reports progress with every batch; one that has not for STALE_SCAN_SECONDS is marked
 * failed at start-up, when its status is read and when another scan is asked for. A clean shutdown
 * stops between batches and marks its scans failed at once.
 */
@Injectable()
export class DuplicateScanner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DuplicateScanner.name);
  private readonly active = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly transactions: TenantTransactions,
    private readonly duplicates: DuplicatesRepository,
    private readonly detector: DuplicateDetector,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Cross-tenant by nature: scans of every tenant that died with a previous process.
    const failed = await this.transactions.runAsSystem((manager) => this.duplicates.failStaleScans(manager, INTERRUPTED));
    if (failed > 0) this.logger.warn(`${failed} interrupted duplicate scan(s) marked failed`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled(this.active.values());
  }

  /** Starts scanning in the background; the scan row exists already. */
  start(tenantId: string, scanId: string): void {
    const run = this.run(tenantId, scanId).finally(() => this.active.delete(scanId));
    this.active.set(scanId, run);
  }

  /** Resolves when the scan (started by this process) has finished; for tests and tools. */
  async settled(scanId: string): Promise<void> {
    await this.active.get(scanId);
  }

  private async run(tenantId: string, scanId: string): Promise<void> {
    let after: string | null = null;
    try {
      for (;;) {
        if (this.stopping) {
          await this.transactions.runForTenant(tenantId, (manager) => this.duplicates.finishScan(manager, scanId, { status: 'failed', error: INTERRUPTED }));
          return;
        }
        const lastId: string | null = await this.transactions.runForTenant(tenantId, async (manager) => {
          const ids = await this.duplicates.nextScanBatch(manager, tenantId, after, SCAN_BATCH_SIZE);
          if (ids.length === 0) return null;
          const pairs = await this.duplicates.detectForScan(manager, tenantId, ids, this.detector.threshold);
          const last = ids[ids.length - 1];
          await this.duplicates.recordScanProgress(manager, scanId, { scanned: ids.length, pairs: pairs.length, lastCustomerId: last });
          return ids.length < SCAN_BATCH_SIZE ? null : last;
        });
        if (lastId === null) break;
        after = lastId;
      }
      await this.transactions.runForTenant(tenantId, (manager) => this.duplicates.finishScan(manager, scanId, { status: 'completed' }));
    } catch (error) {
      this.logger.error(`duplicate scan ${scanId} failed: ${(error as Error).message}`);
      await this.transactions
        .runForTenant(tenantId, (manager) => this.duplicates.finishScan(manager, scanId, { status: 'failed', error: 'the scan failed; start a new one' }))
        .catch((finishError: Error) => this.logger.error(`duplicate scan ${scanId} could not be marked failed: ${finishError.message}`));
    }
  }
}
