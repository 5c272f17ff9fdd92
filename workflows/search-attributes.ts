import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes the claim workflows publish, so ops list views can query Temporal directly
 * (e.g. `ClaimStage = "insurer_review" AND SlaBreached = true`). The local stack registers them at server start; a
 * production namespace registers them once with `temporal operator search-attribute create`.
 */
export const SEARCH_ATTRIBUTES = {
  ClaimStage: 'Keyword',
  ClaimLine: 'Keyword',
  DivisionCode: 'Keyword',
  InsurerId: 'Keyword',
  SlaBreached: 'Bool',
} as const;

export const ClaimStageKey = defineSearchAttributeKey('ClaimStage', SearchAttributeType.KEYWORD);
export const ClaimLineKey = defineSearchAttributeKey('ClaimLine', SearchAttributeType.KEYWORD);
export const DivisionCodeKey = defineSearchAttributeKey('DivisionCode', SearchAttributeType.KEYWORD);
export const InsurerIdKey = defineSearchAttributeKey('InsurerId', SearchAttributeType.KEYWORD);
export const SlaBreachedKey = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);
