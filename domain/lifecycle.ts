/** The claim lifecycle's stable names: stages, final statuses and staff roles (API, storage, search attributes). */
export const STAGES = [
  'eligibility',
  'held_duplicate',
  'returned',
  'village_review',
  'public_notice',
  'township_review',
  'county_approval',
  'insurer_review',
  'documents_requested',
  'payout',
  'payout_bounced',
  'closed',
] as const;
export type Stage = (typeof STAGES)[number];

export const STATUSES = ['open', 'paid', 'rejected', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const STAFF_ROLES = ['village', 'township', 'county', 'ops', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
