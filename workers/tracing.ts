import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { Tracing } from '../common/tracing';

/**
 * The workflow code's OpenTelemetry interceptors (workflows/tracing-interceptors.ts): bundled into every workflow bundle
 * (the worker's, the prebuilt one, the tests'), so the same code runs with tracing on or off.
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/tracing-interceptors')];

/**
 * Temporal's OpenTelemetry plugin for a worker: workflow and activity spans, continued from the trace in the
 * workflow's headers, exported through `tracing` (a no-op processor while tracing is off).
 */
export function tracingPlugin(tracing: Tracing): OpenTelemetryPlugin {
  const plugin = new OpenTelemetryPlugin({ resource: tracing.resource, spanProcessor: tracing.processor });
  // the plugin would add Temporal's own workflow interceptors, whose extra yields break the replay of histories
  // recorded without them: ours (patched) are in the bundle instead
  const configure = plugin.configureWorker.bind(plugin);
  plugin.configureWorker = (options) => {
    const configured = configure(options);
    const workflowModules = options.workflowsPath ? WORKFLOW_INTERCEPTOR_MODULES : options.interceptors?.workflowModules;
    return { ...configured, interceptors: { ...configured.interceptors, ...(workflowModules ? { workflowModules } : {}) } };
  };
  return plugin;
}
