/**
 * Custom search attributes the claim workflows publish, so ops list views can query Temporal directly.
 * The local stack registers these at server start; a production namespace registers them once with the operator CLI.
 */
export const SEARCH_ATTRIBUTES = {
  ClaimStage: 'Keyword',
  ClaimLine: 'Keyword',
  DivisionCode: 'Keyword',
  InsurerId: 'Keyword',
  SlaBreached: 'Bool',
} as const;
