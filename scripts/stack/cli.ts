import { readStackInfo, isStackRunning, startLocalStack, stopLocalStack } from './local-stack';

/**
 * `npm run stack -- up|down|status [name]`: the local servers alone (for running the API or worker from an IDE).
 * `up` prints the environment to export.
 */
async function main(): Promise<void> {
  const [command = 'status', name = 'dev'] = process.argv.slice(2);
  switch (command) {
    case 'up': {
      const info = await startLocalStack({ name, persistent: true, ui: true });
      console.log(`export MONGODB_URI=${info.mongodbUri}\nexport TEMPORAL_ADDRESS=${info.temporalAddress}`);
      if (info.temporalUiUrl) console.log(`export TEMPORAL_UI_URL=${info.temporalUiUrl}`);
      break;
    }
    case 'down':
      await stopLocalStack(name, { keepData: true });
      console.log(`stack '${name}' stopped (data kept under .stack/${name})`);
      break;
    case 'status': {
      const info = readStackInfo(name);
      console.log(info && isStackRunning(info) ? JSON.stringify(info, null, 2) : `stack '${name}' is not running`);
      break;
    }
    default:
      console.error('usage: npm run stack -- up|down|status [name]');
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
