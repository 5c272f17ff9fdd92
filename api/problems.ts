import { AppError, fieldError } from '../common/errors';

/**
 * The refusals several routes share, in one place and both languages. A claim or household outside the caller's
 * jurisdiction answers exactly as one that does not exist: nobody can learn which numbers exist elsewhere.
 */
export const claimNotFound = (claimNo: string) =>
  new AppError('NOT_FOUND', {
    zh: `您的辖区内没有理赔案件 ${claimNo}。`,
    en: `No claim ${claimNo} in your jurisdiction.`,
  });

export const householdNotFound = (householdId: string) =>
  new AppError('NOT_FOUND', {
    zh: `您的辖区内没有农户 ${householdId}。`,
    en: `No household ${householdId} in your jurisdiction.`,
  });

/** Filing for a household that is not registered, or not in the filer's jurisdiction (the same answer). */
export const householdNotRegistered = (householdId: string) =>
  new AppError(
    'UNPROCESSABLE',
    {
      zh: `农户 ${householdId} 未在您的辖区内登记。`,
      en: `Household ${householdId} is not registered in your jurisdiction.`,
    },
    { fieldErrors: [fieldError('householdId', '未登记', 'not registered')] },
  );

export const invalidCursor = () =>
  new AppError(
    'VALIDATION_FAILED',
    { zh: '翻页游标无效（不是本系统签发的）。', en: 'The cursor is not one this API issued.' },
    { fieldErrors: [fieldError('cursor', '无效', 'invalid')] },
  );
