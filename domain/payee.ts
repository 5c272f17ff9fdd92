/**
 * Who may be paid for a claim (domain.md, "Payout"): the insured member or the household head; after the insured's
 * recorded death, the heirs (the household's living members). The account holder's name and resident ID must be those
 * of that member. Pure: the API checks a corrected account with it before the workflow sees it.
 */
import type { Household } from './household';

export type PayeeCheck = { ok: true; memberId: string } | { ok: false; code: PayeeRefusal; zh: string; en: string };
export type PayeeRefusal = 'PAYEE_NOT_A_MEMBER' | 'PAYEE_NAME_MISMATCH' | 'PAYEE_NOT_ENTITLED';

export function checkPayee(
  household: Pick<Household, 'members'>,
  insuredMemberId: string,
  account: { holderName: string; holderResidentId: string },
): PayeeCheck {
  const holder = household.members.find((m) => m.residentId === account.holderResidentId);
  if (!holder)
    return {
      ok: false,
      code: 'PAYEE_NOT_A_MEMBER',
      zh: '收款人身份证号不属于该户任何成员',
      en: "the payee's resident ID is not that of a member of the household",
    };
  if (holder.name !== account.holderName.trim())
    return {
      ok: false,
      code: 'PAYEE_NAME_MISMATCH',
      zh: '收款人姓名与该身份证号登记的成员姓名不一致',
      en: "the payee's name differs from the member registered under that resident ID",
    };
  const insured = household.members.find((m) => m.memberId === insuredMemberId);
  const entitled =
    holder.memberId === insuredMemberId ||
    holder.relation === 'head' ||
    (insured?.deceasedOn !== undefined && holder.deceasedOn === undefined);
  if (!entitled)
    return {
      ok: false,
      code: 'PAYEE_NOT_ENTITLED',
      zh: '收款人须为被保险人本人或户主；被保险人身故后为其继承人（在世的家庭成员）',
      en: 'the payee must be the insured member or the household head; after the insured died, an heir (a living member)',
    };
  return { ok: true, memberId: holder.memberId };
}
