/**
 * The one-household plan (一户一方案): what is done for a monitored household after inclusion, measure by measure,
 * each with its kind, content, dates, who carries it out and how far it has come. The kinds follow the national
 * monitoring mechanism's assistance measures (产业、就业、健康、教育、住房、综合保障 …) *(default: not from domain.md)*;
 * a county adds its own under "other". Pure.
 */
import { z } from 'zod';
import { LocalDateSchema } from './value-schemas';

export const MEASURE_KINDS = [
  'industry',
  'employment',
  'public_job',
  'health',
  'education',
  'housing',
  'microcredit',
  'social_security',
  'consumption',
  'other',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];

export const MEASURE_KIND_LABELS: Record<MeasureKind, { zh: string; en: string }> = {
  industry: { zh: '产业帮扶', en: 'farming and industry support' },
  employment: { zh: '就业帮扶', en: 'employment support' },
  public_job: { zh: '公益岗位', en: 'public-welfare job' },
  health: { zh: '健康帮扶', en: 'health support' },
  education: { zh: '教育帮扶', en: 'education support' },
  housing: { zh: '住房安全保障', en: 'safe housing' },
  microcredit: { zh: '小额信贷', en: 'microcredit' },
  social_security: { zh: '综合保障（低保、特困供养）', en: 'social assistance (dibao, destitute support)' },
  consumption: { zh: '消费帮扶', en: 'consumption support' },
  other: { zh: '其他', en: 'other' },
};

export const MEASURE_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const MEASURE_STATUS_LABELS: Record<MeasureStatus, { zh: string; en: string }> = {
  planned: { zh: '计划中', en: 'planned' },
  in_progress: { zh: '落实中', en: 'in progress' },
  done: { zh: '已落实', en: 'done' },
};

export const AssistanceMeasureSchema = z
  .strictObject({
    kind: z.enum(MEASURE_KINDS),
    /** What is done, e.g. 发放肉牛养殖补贴 3000 元. */
    content: z.string().trim().min(1, 'must not be empty').max(200),
    startOn: LocalDateSchema,
    /** Absent: ongoing. */
    endOn: LocalDateSchema.optional(),
    /** Who carries it out (a person or a unit). */
    responsible: z.string().trim().max(60).optional(),
    status: z.enum(MEASURE_STATUSES),
  })
  .refine((m) => m.endOn === undefined || m.endOn >= m.startOn, { message: 'end must not be before start', path: ['endOn'] });
export type AssistanceMeasure = z.infer<typeof AssistanceMeasureSchema>;

export const MAX_MEASURES = 30;
