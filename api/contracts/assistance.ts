import { z } from 'zod';
import { AssistanceMeasureSchema, MAX_MEASURES } from '../../domain/assistance';

/**
 * `PUT /households/{id}/assistance`: the household's whole assistance plan (一户一方案) as the editor leaves it, on
 * the version it read (0 when the household has none yet), with an optional note for the trail.
 */
export const PutAssistanceBody = z.strictObject({
  version: z.number().int().min(0),
  measures: z.array(AssistanceMeasureSchema).max(MAX_MEASURES),
  note: z.string().trim().max(200).optional(),
});
