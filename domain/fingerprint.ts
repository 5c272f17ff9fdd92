/**
 * Duplicate detection keys. Deterministic, so the same loss filed twice (a self-report plus a data alert, or the same
 * invoice under two lines or two members) meets itself in a unique or multikey index.
 *
 *  - `event`: the same member, line and loss (crop item, accident benefit, hospital stay, admission level and year);
 *    two claims with the same event key are duplicates.
 *  - `document`: one key per loss-evidence document hash (invoices, certificates, letters…); a document that backs two
 *    claims is suspect whichever line or member they name. Identity documents are shared legitimately and not keyed.
 *  - `overlap`: the same member on the same event date under any line (accident medical and health for one stay):
 *    not a duplicate, but the county should see it to pay only the net remainder.
 *
 * Uses node:crypto: call it from activities and the API, not from workflow code.
 */
import { createHash } from 'node:crypto';
import type { ClaimInput, Loss } from './claim';
import type { DocumentKind } from './codes';

const IDENTITY_DOCUMENTS: ReadonlySet<DocumentKind> = new Set(['id_card', 'household_register', 'payout_account', 'other']);

export interface ClaimFingerprint {
  eventKey: string;
  documentKeys: string[];
  overlapKey: string;
  /** Which year-to-date pot the claim draws on (see calculator.ts YearToDate). */
  benefitKey: string;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

function lossIdentity(loss: Loss, eventDate: string): string {
  switch (loss.line) {
    case 'crop':
      return `${eventDate}|${loss.item}`;
    case 'health':
      return `${loss.admissionDate ?? eventDate}`;
    case 'accident':
      return `${eventDate}|${loss.kind}`;
    case 'property':
      return eventDate;
    case 'education':
      // one benefit per student per admission year and level; a higher level in the same year is a top-up, not a duplicate
      return `${loss.admissionYear}|${loss.level}`;
  }
}

export function fingerprintClaim(
  claim: Pick<ClaimInput, 'householdId' | 'memberId' | 'line' | 'eventDate' | 'loss' | 'documents'>,
): ClaimFingerprint {
  const subject =
    claim.loss.line === 'crop' || claim.loss.line === 'property' ? claim.householdId : `${claim.householdId}|${claim.memberId}`;
  const documentKeys = [
    ...new Set(claim.documents.filter((d) => !IDENTITY_DOCUMENTS.has(d.kind)).map((d) => `document:${d.sha256}`)),
  ].sort();
  return {
    benefitKey: benefitKeyOf(claim.loss),
    eventKey: `event:${sha(`${subject}|${claim.line}|${lossIdentity(claim.loss, claim.eventDate)}`)}`,
    documentKeys,
    overlapKey: `overlap:${sha(`${claim.householdId}|${claim.memberId}|${claim.eventDate}`)}`,
  };
}

/** The line, or accident:death_disability / accident:medical / education:<admission year>:<level>. */
export function benefitKeyOf(loss: Loss): string {
  if (loss.line === 'accident') return loss.kind === 'medical' ? 'accident:medical' : 'accident:death_disability';
  if (loss.line === 'education') return `education:${loss.admissionYear}:${loss.level}`;
  return loss.line;
}
