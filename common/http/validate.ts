import { z } from 'zod';
import { AppError, type FieldError } from '../errors';
import { chineseMessageFor } from './chinese-messages';

const zodChinese = z.locales.zhCN().localeError;

/**
 * A zod issue in Chinese: the domain's own messages from their translation table, zod's own checks in zod's zh-CN
 * messages, and a missing field said plainly.
 */
function chineseMessage(issue: z.core.$ZodIssue): string {
  const own = chineseMessageFor(issue.message);
  if (own) return own;
  if (issue.code === 'custom') return `无效输入：${issue.message}`;
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return '必填项缺失';
  if (issue.code === 'invalid_type') return `类型不正确：应为 ${issue.expected}`;
  const message = zodChinese(issue as unknown as z.core.$ZodRawIssue);
  return (typeof message === 'string' ? message : message?.message) ?? issue.message;
}

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
    zh: chineseMessage(issue),
  }));
}

const WHAT: Record<string, string> = {
  'request body': '请求内容',
  path: '路径参数',
  query: '查询参数',
  claim: '报案信息',
  household: '农户信息',
  appeal: '申诉',
  search: '查询条件',
  'insurer decision': '保险公司理赔决定',
  'payout result': '支付结果',
  'claim package': '理赔材料包',
  'payout instruction': '支付指令',
  'simulator configuration': '模拟器配置',
  script: '脚本',
  dataset: '数据集',
  record: '记录',
  disaster: '灾情信息',
  losses: '损失登记',
};
const chineseWhat = (what: string) => WHAT[what] ?? (what.endsWith(' request') ? '操作请求' : '请求内容');

/** Parses client input; a mismatch becomes a 400 problem listing every field, and nothing downstream runs. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      { zh: `${chineseWhat(what)}有误，请按各字段提示修改。`, en: `The ${what} is invalid.` },
      { fieldErrors: fieldErrorsOf(result.error) },
    );
  }
  return result.data;
}
