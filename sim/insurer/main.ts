import { z } from 'zod';
import { listen, simLogger } from '../common';
import { parseSimEnv } from '../env';
import { buildInsurerSim } from './insurer-sim';

/** `npm run sim:insurer`: one insurer. INSURER_ID, DECISION_DELAY_MS; faults at runtime via POST /_sim/config. */
async function main(): Promise<void> {
  const env = parseSimEnv(
    z.object({ INSURER_ID: z.string().default('picc-suzhou'), DECISION_DELAY_MS: z.coerce.number().int().min(0).default(1_000) }),
  );
  const logger = simLogger(`insurer-sim:${env.INSURER_ID}`, env.LOG_LEVEL);
  const sim = buildInsurerSim(
    {
      insurerId: env.INSURER_ID,
      secrets: env.PARTNER_SECRETS,
      callbackBaseUrl: env.FANGPIN_URL,
      decisionDelayMs: env.DECISION_DELAY_MS,
      seed: env.SIM_SEED,
    },
    logger,
  );
  const running = await listen(sim.app, env.SIM_PORT);
  logger.info({ url: running.url }, 'insurer simulator listening');
  const stop = () => {
    sim.stop();
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
