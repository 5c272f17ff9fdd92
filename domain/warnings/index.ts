/**
 * The shipped early-warning rules for Sixian. The income line is the ¥8,500 domain.md gives for one 2024 county
 * (sourced, but not Sixian's own); every threshold is this project's default (marked `illustrative`). A county
 * replaces the file with its own rules; a year without its own entry uses the latest earlier one.
 */
import { EarlyWarningRulesSchema, type EarlyWarningRules } from '../early-warning';
import sixian from './sixian.json';

export const SIXIAN_WARNING_RULES: readonly EarlyWarningRules[] = EarlyWarningRulesSchema.array().parse(sixian);
