import type { BundleOptions } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from './tracing';

type WebpackConfig = Parameters<NonNullable<BundleOptions['webpackConfigHook']>>[0];
type WebpackPlugin = NonNullable<WebpackConfig['plugins']>[number];

/**
 * The first statement of every workflow bundle, run once in the workflow sandbox before the SDK freezes its
 * built-ins: V8 captures no stack frames for errors made there.
 *
 * Why: the SDK's promise hook makes an `Error` for every promise a workflow creates, maps each frame of its stack
 * through the bundle's source map, and keeps it until the promise settles, to answer the `__stack_trace` query
 * (the Temporal UI's "Stack Trace" tab). Measured by replaying the recorded history of a claim in public notice
 * (168 events, 100 replays, 2 × Intel Xeon, 2026-12-04): 98–119 ms of CPU a replay with it, 72–74 ms without, the
 * same as with the hook removed altogether. An action on an evicted claim pays for a replay (issue #20).
 *
 * What is given up: errors thrown inside workflow code carry their message and type but no stack, and the
 * `__stack_trace` query answers with empty stacks. Activities, the API and the simulators keep their stacks; a
 * workflow's state is explained by `GET /ops/claims/{claimNo}` and its history, not by where its promises wait.
 */
export const WORKFLOW_SANDBOX_PRELUDE = 'Error.stackTraceLimit = 0;';

/** A webpack plugin that puts the prelude at the very top of the bundle (before webpack's runtime). */
const preludePlugin: WebpackPlugin = {
  apply(compiler) {
    new compiler.webpack.BannerPlugin({ banner: WORKFLOW_SANDBOX_PRELUDE, raw: true, entryOnly: true }).apply(compiler);
  },
};

export function withSandboxPrelude(config: WebpackConfig): WebpackConfig {
  return { ...config, plugins: [...(config.plugins ?? []), preludePlugin] };
}

/**
 * How the claim workflows are bundled, in one place for every bundle: the prebuilt one (`npm run build`), a worker
 * bundling its sources at start, the tests' and the benches'.
 */
export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: require.resolve('../workflows'),
  workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
  webpackConfigHook: withSandboxPrelude,
} satisfies Partial<BundleOptions>;
