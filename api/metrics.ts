/**
 * Prometheus metrics of the API process (prom-client), served at /metrics: HTTP latency by route, open claims by stage
 * and payouts in flight by outcome (read from the claim read model at scrape time), bank results and partner callback
 * verifications as they happen, and Node's process metrics. The worker serves Temporal's SDK metrics itself.
 */
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReferralRepository } from '../db/repositories/referrals';
import type { ClaimStatsRepository } from '../db/repositories/claim-stats';

export function createApiMetrics({
  stats,
  referrals,
}: { stats?: ClaimStatsRepository; referrals?: Pick<ReferralRepository, 'countsByStatus'> } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fangpin_api_' });

  const httpDuration = new Histogram({
    name: 'fangpin_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const callbackVerifications = new Counter({
    name: 'fangpin_partner_callback_verifications_total',
    help: 'Signed partner callbacks by partner kind and verification result (ok or the failure code)',
    labelNames: ['partner', 'result'] as const,
    registers: [registry],
  });
  const payoutResults = new Counter({
    name: 'fangpin_payout_results_total',
    help: "Bank payout results received, by the bank's status and what the claim made of it (applied, duplicate, stale)",
    labelNames: ['status', 'outcome'] as const,
    registers: [registry],
  });

  /** A gauge read from the database at scrape time: one series per key of what `read` returns. */
  const databaseGauge = (name: string, help: string, label: string, read: () => Promise<Record<string, number>>) =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      async collect() {
        const values = await read();
        this.reset();
        for (const [key, value] of Object.entries(values)) this.set({ [label]: key }, value);
      },
    });
  if (stats) {
    databaseGauge('fangpin_open_claims', 'Open claims in the read model by stage', 'stage', () => stats.openByStage());
    databaseGauge(
      'fangpin_payout_installments',
      'Payout instructions of claims in a payout stage (payout, payout_bounced) by outcome (instructed, confirmed, bounced)',
      'outcome',
      async () => (await stats.installmentsInFlight()).count,
    );
    databaseGauge(
      'fangpin_payout_amount_fen',
      'Payout amounts in fen of claims in a payout stage, by outcome (instructed, confirmed, bounced)',
      'outcome',
      async () => (await stats.installmentsInFlight()).fen,
    );
  }

  if (referrals)
    databaseGauge(
      'fangpin_referrals',
      'Referrals for monitoring review by status (open: in the procedure; included; not_included)',
      'status',
      () => referrals.countsByStatus(),
    );

  /** Times every request; the label is the matched route pattern (never the raw URL, which carries ids). */
  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer();
    res.once('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : res.statusCode === 404 ? 'unmatched' : 'other';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };

  return {
    registry,
    middleware,
    callbackVerified: (partner: 'insurer' | 'bank', result: string) => callbackVerifications.inc({ partner, result }),
    payoutResult: (status: string, outcome: string) => payoutResults.inc({ status, outcome }),
    async render(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
