/**
 * The claim batch template (批量报案导入模板.xlsx): instructions with an example of each line, the 报案 sheet with
 * the loss columns of every line, and its code lists (lines, causes, crop items in force, accident kinds, levels).
 */
import { CLAIM_SHEET, CLAIM_SHEET_COLUMNS, CLAIM_SHEET_LISTS, type ClaimSheetKey } from '../../domain/claim-sheet';
import type { Product } from '../../domain/product';
import { templateWorkbook } from './template-workbook';

const EXAMPLE: Partial<Record<ClaimSheetKey, string>>[] = [
  {
    householdId: 'SX-105003-0001',
    memberId: 'm1',
    name: '张三',
    line: '家庭财产',
    eventDate: '2026-07-03',
    reportDate: '2026-07-04',
    cause: '暴风、暴雨',
    assessedLoss: '12000',
    description: '暴雨致房屋受损',
  },
  {
    householdId: 'SX-105003-0001',
    memberId: 'm2',
    name: '李四',
    line: '健康保险',
    eventDate: '2026-03-02',
    admissionDate: '2026-03-02',
    dischargeDate: '2026-03-20',
    totalCost: '86000',
    basicInsurance: '52000',
    criticalIllness: '9000',
    nonCompliant: '1500',
  },
  {
    householdId: 'SX-105003-0002',
    memberId: 'm1',
    line: '特色农产品',
    eventDate: '2026-06-12',
    cause: '自然灾害',
    item: '小麦',
    units: '6.5',
    lossPercent: '80',
  },
  {
    householdId: 'SX-105003-0002',
    memberId: 'm3',
    line: '意外伤害',
    eventDate: '2026-05-01',
    accidentKind: '意外医疗',
    medicalCost: '3200.50',
  },
];

export function claimsTemplate(products: readonly Product[]): Promise<Buffer> {
  const items = [...new Set(products.flatMap((p) => p.lines.crop?.items.map((i) => i.name) ?? []))];
  return templateWorkbook({
    title: '批量报案导入模板（防贫保）',
    instructions: [
      '在“报案”工作表中每行填写一件报案：出险的户、成员、险种和出险日期，以及该险种的损失信息。',
      '每行只填本险种用到的列（见下表说明），其他险种的列请留空。',
      '户编号、成员编号须与花名册一致；填写姓名时须与登记姓名一致，用于核对出险人。',
      '金额以元为单位，最多两位小数；日期写成 2026-03-01（也可用 2026/3/1 或 Excel 日期）。',
      '导入时可选择“全部正确才报案”（有任何错误行则不报案）或“只报案正确的行”；导入后可下载逐行结果和案件号。',
      '同一户、成员、险种、出险日期只报案一次：同一文件重复导入不会重复报案。',
      '报案后按正常流程审核；所需材料（照片、发票、证明等）请在案件页上传。',
    ],
    sheet: CLAIM_SHEET,
    columns: CLAIM_SHEET_COLUMNS,
    lists: {
      lines: { header: '险种', values: CLAIM_SHEET_LISTS.lines },
      causes: { header: '出险原因', values: CLAIM_SHEET_LISTS.causes },
      items: { header: '品种（特色农产品）', values: items },
      accidentKinds: { header: '意外类型', values: CLAIM_SHEET_LISTS.accidentKinds },
      levels: { header: '录取层次', values: CLAIM_SHEET_LISTS.levels },
    },
    example: EXAMPLE,
  });
}
