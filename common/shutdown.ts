import type { Logger } from './logger';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits. If stopping takes longer than `graceMs`, exits non-zero anyway
 * so an orchestrator never waits on a hung process.
 */
export function exitOnSignal(logger: Logger, graceMs: number, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ graceMs }, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}

/** For entry points: a start-up failure is printed readably (config errors name each variable) and exits 1. */
export function failStartup(error: unknown): never {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

/**
 * A process started by a supervisor with an IPC channel (`npm start`) ends with it: when the channel closes (the
 * supervisor was killed, even with SIGKILL) the process stops itself as on SIGTERM, so nothing is left orphaned.
 */
export function stopWithSupervisor(): void {
  if (!process.send) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel?.unref(); // the channel alone must not keep a process alive that has finished stopping
}

/**
 * Start-up steps that need a server (connect, build indexes): retried with backoff (1 s, 2 s, … up to 15 s) while
 * the server is down, instead of exiting, so a process started before its database or Temporal waits for it.
 */
export async function untilAvailable<T>(
  what: string,
  step: () => Promise<T>,
  { logger, maxDelayMs = 15_000 }: { logger: Pick<Logger, 'warn'>; maxDelayMs?: number },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      const delayMs = Math.min(maxDelayMs, 1_000 * 2 ** (attempt - 1));
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn({ attempt, retryInMs: delayMs, reason }, `${what} is not available yet; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
