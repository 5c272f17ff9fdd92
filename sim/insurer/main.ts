import { z } from 'zod';
import { serveSim, simLogger } from '../common';
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
  await serveSim('insurer simulator', logger, sim, env.SIM_PORT);
}

void main();
