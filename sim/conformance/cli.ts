/**
 * `npm run partner-check -- insurer --url http://… --partner-id picc-suzhou --secret …` (or `bank --url … --secret …`):
 * plays fangpin's side of the partner protocol against an integrator's own endpoints and reports each check in Chinese
 * and English. Point the partner's fangpin base URL at the kit's receiver (printed at start) so its decisions or
 * results come back to the kit. Exit code 0 only when every check passes.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runConformance } from './kit';
import { startKitReceiver } from './receiver';
import { renderReport } from './report';

const USAGE = `usage: npm run partner-check -- <insurer|bank> --url <partner base URL> --secret <shared secret> [--secret <next>]
         [--partner-id <insurer id>] [--callback-port <port>] [--timeout <seconds>] [--json <report file>]

  环境变量 PARTNER_SECRETS（逗号分隔）可代替 --secret；--callback-port 为本工具接收回调的端口（默认 4980），
  请把被测系统的 fangpin 地址设为 http://127.0.0.1:<端口>。`;

const Args = z.object({
  partner: z.enum(['insurer', 'bank']),
  url: z.url(),
  secrets: z.array(z.string().min(32, 'secrets must be at least 32 characters')).min(1).max(2),
  partnerId: z
    .string()
    .regex(/^[a-z0-9-]{2,40}$/)
    .optional(),
  callbackPort: z.coerce.number().int().min(0).max(65_535).default(4980),
  timeout: z.coerce.number().int().min(1).default(120),
  json: z.string().default('partner-check-report.json'),
});

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      secret: { type: 'string', multiple: true },
      'partner-id': { type: 'string' },
      'callback-port': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return void console.log(USAGE);
  const parsed = Args.safeParse({
    partner: positionals[0],
    url: values.url,
    secrets:
      values.secret ??
      process.env.PARTNER_SECRETS?.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    partnerId: values['partner-id'],
    callbackPort: values['callback-port'],
    timeout: values.timeout,
    json: values.json,
  });
  if (!parsed.success || (parsed.data.partner === 'insurer' && !parsed.data.partnerId)) {
    const issues = parsed.success
      ? ['partnerId: an insurer needs --partner-id']
      : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    console.error(`${issues.join('\n')}\n\n${USAGE}`);
    process.exit(2);
  }
  const args = parsed.data;
  const receiver = await startKitReceiver({ secrets: args.secrets, port: args.callbackPort });
  console.log(
    `[partner-check] 回调接收地址 callbacks to: ${receiver.url} (set it as the fangpin base URL of the system under test)`,
  );
  console.log(`[partner-check] 正在检查 checking ${args.partner} at ${args.url} …`);
  try {
    const report = await runConformance({
      partner: args.partner,
      url: args.url,
      ...(args.partnerId ? { partnerId: args.partnerId } : {}),
      secrets: args.secrets,
      receiver,
      timeoutMs: args.timeout * 1000,
    });
    console.log(renderReport(report));
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`[partner-check] JSON: ${args.json}`);
    process.exitCode = report.passed ? 0 : 1;
  } finally {
    await receiver.close();
  }
}

void main();
