import { z } from 'zod';
import { serveSim, simLogger } from '../common';
import { parseSimEnv } from '../env';
import { buildBankSim } from './bank-sim';

/**
 * `npm run sim:bank`: the payout bank. BANK_BOUNCE_RATE, BANK_SETTLE_DELAY_MS, BANK_LEDGER_FILE (a durable ledger);
 * more at runtime via POST /_sim/config.
 */
async function main(): Promise<void> {
  const env = parseSimEnv(
    z.object({
      BANK_BOUNCE_RATE: z.coerce.number().min(0).max(1).default(0),
      BANK_SETTLE_DELAY_MS: z.coerce.number().int().min(0).default(500),
      /** The durable ledger's journal file (kept across restarts); unset: in memory. */
      BANK_LEDGER_FILE: z.string().min(1).optional(),
    }),
  );
  const logger = simLogger('bank-sim', env.LOG_LEVEL);
  const sim = buildBankSim(
    {
      secrets: env.PARTNER_SECRETS,
      callbackBaseUrl: env.FANGPIN_URL,
      bounceRate: env.BANK_BOUNCE_RATE,
      settleDelayMs: env.BANK_SETTLE_DELAY_MS,
      seed: env.SIM_SEED,
      ...(env.BANK_LEDGER_FILE ? { ledgerFile: env.BANK_LEDGER_FILE } : {}),
    },
    logger,
  );
  await serveSim('bank simulator', logger, sim, env.SIM_PORT);
}

void main();
