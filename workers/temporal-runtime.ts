import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../common/logger';
import { claimNoOfWorkflowId } from '../workflows/ids';

/**
 * Installs the Temporal SDK runtime once per process: its logs go to our pino logger (JSON, same redaction, claimNo
 * beside workflowId), and, when `metricsAddress` is set, its worker metrics are served for Prometheus at
 * http://<metricsAddress>/metrics. The SDK is verbose at INFO, so it logs at WARN unless we run at debug or trace.
 */
export function installTemporalRuntime(logger: Logger, level: string, metricsAddress?: string): void {
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
      const workflowId = typeof meta?.workflowId === 'string' ? meta.workflowId : undefined;
      const claimNo = workflowId ? claimNoOfWorkflowId(workflowId) : null;
      sdk[method]({ ...(meta ?? {}), ...(claimNo ? { claimNo } : {}) }, message);
    }),
    ...(metricsAddress
      ? { telemetryOptions: { metrics: { metricPrefix: 'temporal_', prometheus: { bindAddress: metricsAddress } } } }
      : {}),
  });
}
