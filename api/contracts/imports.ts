import { z } from 'zod';
import { IMPORT_MODES } from '../../db/models/import-job';

/** `POST /imports/roster|claims?mode=…&fileName=…`: the .xlsx is the body. */
export const StartImportQuery = z.strictObject({
  /** all_or_nothing (default): a file with a bad row imports nothing; valid_rows: the good rows only. */
  mode: z.enum(IMPORT_MODES).default('all_or_nothing'),
  /** The file's name as the user chose it (shown with the job and in its report's title). */
  fileName: z.string().trim().min(1).max(200).optional(),
});
export const ImportIdParam = z.strictObject({ importId: z.string().regex(/^imp-[0-9a-f]{16}$/, 'an import id') });
