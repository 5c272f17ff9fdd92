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
