/**
 * Why a human action on a claim is refused. Thrown by update validators as non-retryable ApplicationFailures with
 * these types; the API maps them to problem+json (409 for stage, 403 for role, jurisdiction and self-approval).
 */
export const ClaimFailure = {
  NOT_ALLOWED_IN_STAGE: 'ERR_NOT_ALLOWED_IN_STAGE',
  ROLE_NOT_PERMITTED: 'ERR_ROLE_NOT_PERMITTED',
  OUTSIDE_JURISDICTION: 'ERR_OUTSIDE_JURISDICTION',
  SELF_APPROVAL: 'ERR_SELF_APPROVAL',
  INVALID_REQUEST: 'ERR_INVALID_REQUEST',
} as const;
export type ClaimFailureType = (typeof ClaimFailure)[keyof typeof ClaimFailure];
