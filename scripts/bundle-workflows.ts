/**
 * Prebuilds the workflow bundle into dist/workflow-bundle.js (`npm run build` runs it; the Docker image ships it), so
 * a worker from dist/ starts without bundling at run time. workers/main.ts uses it when it is there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PROJECT_ROOT } from './stack/local-stack';
import { WORKFLOW_BUNDLE_OPTIONS } from '../workers/workflow-bundle';

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS);
  mkdirSync(join(PROJECT_ROOT, 'dist'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, 'dist', 'workflow-bundle.js'), code);
  console.log(`workflow bundle: dist/workflow-bundle.js (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
