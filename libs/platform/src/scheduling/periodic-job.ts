import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';

/**
 * A job a service runs every few seconds or minutes in the background (reminders, sweeps, escalations).
 * Subclasses say how often (`intervalMs`, 0 = never on a timer) and what one run does (`runOnce`).
 *
 * Runs never overlap in one process: a trigger while a run is under way joins it. Several instances
 * may run the same job at the same time, so `runOnce` must be safe for that on its own (a unique key
 * on what it creates, `FOR UPDATE SKIP LOCKED`), which also makes a run cut off by a crash harmless:
 * what it left undone is still due next time. Shutdown stops the timer, tells the run to stop
 * (`stopping`) and waits for it.
 */
export abstract class PeriodicJob<R = unknown> implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<R>;
  private stopped = false;

  /** Milliseconds between two runs; 0 runs none on a timer (tests and `trigger` still can). */
  protected abstract intervalMs(): number;

  /** One run as of `now`; checks `stopping` between units of work. */
  protected abstract runOnce(now: Date): Promise<R>;

  /** True once shutdown has begun: a run ends after the unit of work it is in. */
  protected get stopping(): boolean {
    return this.stopped;
  }

  onApplicationBootstrap(): void {
    const interval = this.intervalMs();
    if (interval <= 0) return;
    this.timer = setInterval(() => {
      this.trigger().catch((error: Error) => this.logger.error(`${this.constructor.name} failed: ${error.message}`));
    }, interval);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Runs the job now (as of `now`); a call while a run is under way in this process joins it. */
  trigger(now: Date = new Date()): Promise<R> {
    this.running ??= this.runOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }
}
