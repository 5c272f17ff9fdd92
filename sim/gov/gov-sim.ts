/**
 * Government data sources, simulated: medical-insurance settlements (医保), admission lists (教育) and death records
 * (公安/民政), answering signed queries from a data set derived from the synthetic households. Latency, failure rate
 * and a full outage are switchable; tests can add records of their own.
 */
import { Router, type Express } from 'express';
import { z } from 'zod';
import { AppError } from '../../common/errors';
import { parseInput } from '../../common/http/validate';
import type { Logger } from '../../common/logger';
import {
  AdmissionRecordSchema,
  DataQuerySchema,
  DeathRecordSchema,
  FeedQuerySchema,
  MedicalSettlementSchema,
  type AdmissionRecord,
  type DataQuery,
  type Dataset,
  type DeathRecord,
  type FeedQuery,
  type MedicalSettlement,
  type SettlementFeedPage,
} from '../../common/partners/messages';
import { addDays } from '../../domain/dates';
import { SIXIAN_PRODUCTS } from '../../domain/products';
import { seededRandom } from '../../domain/random';
import { syntheticHouseholds } from '../../domain/synthetic';
import { requireSignature } from '../../common/partners/receiver';
import { createSimApp, delay, finishSimApp } from '../common';

export const GovSimConfigSchema = z.strictObject({
  secrets: z.array(z.string().min(16)).min(1).max(2),
  households: z.number().int().min(0).max(1_000_000).default(1_000),
  seed: z.number().int().default(1),
  policyYear: z.number().int().default(2026),
  latencyMs: z.number().int().min(0).default(0),
  failRate: z.number().min(0).max(1).default(0),
  down: z.boolean().default(false),
  replayWindowSeconds: z.number().int().positive().default(300),
});
export type GovSimConfig = z.input<typeof GovSimConfigSchema>;

export class GovData {
  readonly settlements = new Map<string, MedicalSettlement[]>();
  readonly admissions = new Map<string, AdmissionRecord[]>();
  readonly deaths = new Map<string, DeathRecord>();
  /** Every settlement in the order the bureau recorded it: the feed's sequence (its cursor is a position in it). */
  readonly settlementLog: MedicalSettlement[] = [];

  add(dataset: Dataset, record: MedicalSettlement | AdmissionRecord | DeathRecord): void {
    if (dataset === 'deaths') this.deaths.set(record.residentId, record as DeathRecord);
    else {
      if (dataset === 'medical-settlements') this.settlementLog.push(record as MedicalSettlement);
      const map = dataset === 'admissions' ? this.admissions : this.settlements;
      map.set(record.residentId, [...(map.get(record.residentId) ?? []), record] as never);
    }
  }

  /** The settlements recorded after the cursor (a position in the log), up to `limit`. */
  feed({ after, limit }: FeedQuery): SettlementFeedPage {
    const from = after === null ? 0 : Number(after);
    const records = this.settlementLog.slice(from, from + limit);
    const to = from + records.length;
    return { records, cursor: String(to), more: to < this.settlementLog.length };
  }

  query(dataset: Dataset, q: DataQuery): unknown[] {
    const inRange = (date: string) => (!q.from || date >= q.from) && (!q.to || date <= q.to);
    switch (dataset) {
      case 'medical-settlements':
        return (this.settlements.get(q.residentId) ?? []).filter((s) => inRange(s.admissionDate) || inRange(s.dischargeDate));
      case 'admissions':
        return (this.admissions.get(q.residentId) ?? []).filter((a) => inRange(`${a.admissionYear}-07-01`));
      case 'deaths': {
        const death = this.deaths.get(q.residentId);
        return death && inRange(death.dateOfDeath) ? [death] : [];
      }
    }
  }
}

/** Derives plausible records from the synthetic households: ~10% of members had a hospital stay, school leavers were admitted, a few elderly died. */
export function deriveGovData({
  households,
  seed,
  policyYear,
}: {
  households: number;
  seed: number;
  policyYear: number;
}): GovData {
  const data = new GovData();
  const random = seededRandom(seed * 7919 + 17);
  for (const h of syntheticHouseholds(households, { seed, policyYear, products: SIXIAN_PRODUCTS })) {
    for (const m of h.members) {
      const birthYear = Number(m.residentId.slice(6, 10));
      const age = policyYear - birthYear;
      if (random() < 0.1) {
        const admissionDate = `${policyYear}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
        const total = 200_000 + Math.floor(random() * 8_000_000);
        const basic = Math.floor(total * 0.55);
        const critical = Math.floor(total * 0.1 * random());
        data.add('medical-settlements', {
          settlementId: `YB${policyYear}${h.householdId.slice(-6)}${m.memberId.slice(-1)}`,
          residentId: m.residentId,
          hospital: random() < 0.5 ? '泗县人民医院' : '宿州市立医院',
          admissionDate,
          dischargeDate: addDays(admissionDate, 3 + Math.floor(random() * 20)),
          totalCostFen: total,
          basicInsuranceFen: basic,
          criticalIllnessFen: critical,
          medicalAssistanceFen: Math.floor(total * 0.05),
          nonCompliantFen: Math.floor(total * 0.03),
        });
      }
      if (age >= 17 && age <= 19 && random() < 0.5) {
        data.add('admissions', {
          residentId: m.residentId,
          admissionYear: policyYear,
          level: random() < 0.6 ? 'bachelor' : 'junior_college',
          school: random() < 0.5 ? '安徽大学' : '宿州学院',
        });
      }
      if (age >= 70 && random() < 0.02)
        data.add('deaths', { residentId: m.residentId, dateOfDeath: `${policyYear}-0${1 + Math.floor(random() * 9)}-15` });
    }
  }
  return data;
}

const SCHEMAS = {
  'medical-settlements': MedicalSettlementSchema,
  admissions: AdmissionRecordSchema,
  deaths: DeathRecordSchema,
} as const;
const DatasetParam = z.enum(['medical-settlements', 'admissions', 'deaths']);

export function buildGovSim(input: GovSimConfig, logger: Logger): { app: Express; data: GovData } {
  let config = GovSimConfigSchema.parse(input);
  const random = seededRandom(config.seed);
  const data = deriveGovData(config);
  const app = createSimApp(logger);
  const partner = Router();
  /** The configured latency, failure rate and outage, as a real bureau's service shows them. */
  const simulatedConditions = async () => {
    if (config.latencyMs > 0) await delay(config.latencyMs);
    if (config.down || random() < config.failRate)
      throw new AppError(
        'DEPENDENCY_UNAVAILABLE',
        { zh: '模拟的数据源故障。', en: 'Simulated data-source outage.' },
        { retryAfterSeconds: 5 },
      );
  };

  /** The settlement feed: what was recorded after the cursor, oldest first. */
  partner.post(
    '/medical-settlements/feed',
    requireSignature(() => config.secrets, { replayWindowSeconds: config.replayWindowSeconds }),
    async (req, res) => {
      await simulatedConditions();
      const query = parseInput(FeedQuerySchema, req.body, 'feed query');
      if (query.after !== null && !/^\d+$/.test(query.after))
        throw new AppError('VALIDATION_FAILED', { zh: '游标无效。', en: 'Unknown cursor.' });
      res.json(data.feed(query));
    },
  );

  partner.post(
    '/:dataset/query',
    requireSignature(() => config.secrets, { replayWindowSeconds: config.replayWindowSeconds }),
    async (req, res) => {
      const dataset = parseInput(DatasetParam, req.params.dataset, 'dataset');
      await simulatedConditions();
      const query = parseInput(DataQuerySchema, req.body, 'query');
      res.json({ dataset, records: data.query(dataset, query) });
    },
  );

  const admin = Router();
  admin.post('/records/:dataset', (req, res) => {
    const dataset = parseInput(DatasetParam, req.params.dataset, 'dataset');
    data.add(dataset, parseInput(SCHEMAS[dataset], req.body, 'record'));
    res.status(204).end();
  });
  admin.post('/config', (req, res) => {
    config = parseInput(GovSimConfigSchema, { ...config, ...(req.body as object) }, 'simulator configuration');
    res.json({ down: config.down, latencyMs: config.latencyMs, failRate: config.failRate });
  });

  app.use(partner);
  app.use('/_sim', admin);
  finishSimApp(app);
  return { app, data };
}
