import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../common/logger';

/**
 * Routes the Temporal SDK's own logs (worker lifecycle, bundler, workflow sandbox) into our pino logger, so every line
 * is JSON with the same redaction. The SDK is verbose at INFO, so it logs at WARN unless we run at debug or trace.
 */
export function installTemporalLogging(logger: Logger, level: string): void {
  const sdkLevel: LogLevel = level === 'debug' || level === 'trace' ? 'DEBUG' : 'WARN';
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, ({ level: entryLevel, message, meta }) => {
      const method =
        entryLevel === 'TRACE'
          ? 'trace'
          : entryLevel === 'DEBUG'
            ? 'debug'
            : entryLevel === 'INFO'
              ? 'info'
              : entryLevel === 'WARN'
                ? 'warn'
                : 'error';
      sdk[method](meta ?? {}, message);
    }),
  });
}
