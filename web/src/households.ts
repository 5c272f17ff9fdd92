import type { Household, Member } from './types';

/** The household's category now: the period without an end, else the latest. */
export const currentCategory = (h: Household): string | undefined =>
  (h.categoryHistory.find((p) => !p.to) ?? h.categoryHistory.at(-1))?.category;

export const headOf = (h: Household): Member | undefined => h.members.find((m) => m.relation === 'head');
