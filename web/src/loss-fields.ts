/**
 * The loss form of each line: the fields the API's loss schema takes (domain/claim.ts), how a person types them
 * (money in yuan, sent in fen; a loss ratio in percent, sent in basis points) and, for selects, their label table.
 */
export type FieldKind = 'yuan' | 'int' | 'number' | 'text' | 'date' | 'select';
export interface LossField {
  name: string;
  kind: FieldKind;
  table?: string;
  /** An accident's grade or medical cost belongs to one kind of accident only. */
  onlyFor?: string;
}

export const LOSS_FIELDS: Record<string, LossField[]> = {
  property: [
    { name: 'cause', kind: 'select', table: 'propertyCauses' },
    { name: 'assessedLossFen', kind: 'yuan' },
    { name: 'description', kind: 'text' },
  ],
  health: [
    { name: 'admissionDate', kind: 'date' },
    { name: 'dischargeDate', kind: 'date' },
    { name: 'totalCostFen', kind: 'yuan' },
    { name: 'basicInsuranceFen', kind: 'yuan' },
    { name: 'criticalIllnessFen', kind: 'yuan' },
    { name: 'medicalAssistanceFen', kind: 'yuan' },
    { name: 'otherInsuranceFen', kind: 'yuan' },
    { name: 'nonCompliantFen', kind: 'yuan' },
  ],
  accident: [
    { name: 'kind', kind: 'select', table: 'accidentKinds' },
    { name: 'disabilityGrade', kind: 'int', onlyFor: 'disability' },
    { name: 'medicalCostFen', kind: 'yuan', onlyFor: 'medical' },
    { name: 'description', kind: 'text' },
  ],
  crop: [
    { name: 'item', kind: 'text' },
    { name: 'units', kind: 'number' },
    { name: 'lossRatioPct', kind: 'number' },
    { name: 'cause', kind: 'select', table: 'cropCauses' },
  ],
  education: [
    { name: 'level', kind: 'select', table: 'admissionLevels' },
    { name: 'admissionYear', kind: 'int' },
    { name: 'school', kind: 'text' },
  ],
};

export type LossValues = Record<string, string | number | undefined>;

/** The fields shown for the values typed so far (an accident's kind decides which of its fields apply). */
export const visibleFields = (line: string, values: LossValues): LossField[] =>
  (LOSS_FIELDS[line] ?? []).filter((f) => !f.onlyFor || values.kind === f.onlyFor);

/** The loss as the API takes it, from what was typed: empty fields are left out (the API says which are needed). */
export function lossOf(line: string, values: LossValues): Record<string, unknown> {
  const loss: Record<string, unknown> = { line };
  for (const field of visibleFields(line, values)) {
    const value = values[field.name];
    if (value === undefined || value === null || String(value).trim() === '') continue;
    if (field.kind === 'yuan') loss[field.name] = Math.round(Number(value) * 100);
    else if (field.name === 'lossRatioPct') loss.lossRatioBp = Math.round(Number(value) * 100);
    else if (field.kind === 'int' || field.kind === 'number') loss[field.name] = Number(value);
    else loss[field.name] = String(value).trim();
  }
  return loss;
}
