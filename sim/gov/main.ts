import { z } from 'zod';
import { serveSim, simLogger } from '../common';
import { parseSimEnv } from '../env';
import { buildGovSim } from './gov-sim';

/** `npm run sim:gov`: medical settlements, admissions and deaths. GOV_HOUSEHOLDS, GOV_LATENCY_MS; outage via POST /_sim/config. */
async function main(): Promise<void> {
  const env = parseSimEnv(
    z.object({
      GOV_HOUSEHOLDS: z.coerce.number().int().min(0).max(1_000_000).default(1_000),
      GOV_LATENCY_MS: z.coerce.number().int().min(0).default(0),
    }),
  );
  const logger = simLogger('gov-sim', env.LOG_LEVEL);
  const sim = buildGovSim(
    { secrets: env.PARTNER_SECRETS, households: env.GOV_HOUSEHOLDS, latencyMs: env.GOV_LATENCY_MS, seed: env.SIM_SEED },
    logger,
  );
  await serveSim('government data simulator', logger, sim, env.SIM_PORT, { households: env.GOV_HOUSEHOLDS });
}

void main();
