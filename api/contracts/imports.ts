import { z } from 'zod';
import { IMPORT_MODES } from '../../db/models/import-job';

/** `POST /imports/roster?mode=…&fileName=…`: the .xlsx is the body. */
export const StartImportQuery = z.strictObject({
  /** all_or_nothing (default): a file with a bad row imports nothing; valid_rows: the good households only. */
  mode: z.enum(IMPORT_MODES).default('all_or_nothing'),
  fileName: z.string().trim().min(1).max(200).default('花名册.xlsx'),
});
export const ImportIdParam = z.strictObject({ importId: z.string().regex(/^imp-[0-9a-f]{16}$/, 'an import id') });
