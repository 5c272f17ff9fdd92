import { LINE_LABELS, type Line } from '../../domain/codes';
import type { ExposurePart } from '../../domain/exposure';

interface Bucket {
  _id: string;
  memberId?: string | null;
  policyYear: number;
  line: string;
  insurerId: string;
  kind: string;
  limitFen: number;
  zh: string;
  en: string;
  heldFen: number;
  paidFen: number;
  parts: ExposurePart[];
}

export interface CapView {
  kind: string;
  zh: string;
  en: string;
  memberId?: string;
  limitFen: number;
  heldFen: number;
  reservedFen: number;
  paidFen: number;
  remainingFen: number;
  claims: { claimNo: string; heldFen: number; reservedFen: number; paidFen: number; approvedFen?: number; updatedAt: string }[];
}

export type ExposureView = ReturnType<typeof exposureView>;

/**
 * A household's exposure ledger by policy year, line and insurer: for each cap its limit, what claims hold of it
 * (reserved = held and not yet paid), what was paid and what remains, with each claim's part.
 */
export function exposureView(householdId: string, buckets: readonly Bucket[]) {
  type LineEntry = { line: Line; insurerId: string; caps: CapView[] };
  const years = new Map<number, Map<string, LineEntry>>();
  for (const b of buckets) {
    const lines = years.get(b.policyYear) ?? new Map<string, LineEntry>();
    years.set(b.policyYear, lines);
    const key = `${b.line}|${b.insurerId}`;
    const entry: LineEntry = lines.get(key) ?? { line: b.line as Line, insurerId: b.insurerId, caps: [] };
    lines.set(key, entry);
    entry.caps.push({
      kind: b.kind,
      zh: b.zh,
      en: b.en,
      ...(b.memberId ? { memberId: b.memberId } : {}),
      limitFen: b.limitFen,
      heldFen: b.heldFen,
      reservedFen: b.heldFen - b.paidFen,
      paidFen: b.paidFen,
      remainingFen: Math.max(0, b.limitFen - b.heldFen),
      claims: b.parts
        .filter((p) => p.heldFen > 0 || p.paidFen > 0 || p.approvedFen !== undefined)
        .map((p) => ({
          claimNo: p.claimNo,
          heldFen: p.heldFen,
          reservedFen: p.heldFen - p.paidFen,
          paidFen: p.paidFen,
          ...(p.approvedFen !== undefined ? { approvedFen: p.approvedFen } : {}),
          updatedAt: p.at,
        })),
    });
  }
  return {
    householdId,
    years: [...years.entries()].map(([policyYear, lines]) => ({
      policyYear,
      lines: [...lines.values()].map((l) => ({ ...l, label: LINE_LABELS[l.line] })),
    })),
  };
}
