/** Extension-side zod schemas of what the checks report page may post. */
import * as z from 'zod';
import { commandSchema, createMessageValidator } from '../validate';
import * as P from './protocol';

/** A fix is a few PowerShell lines (the longest, a count change on 16 GPUs, is about 3 KiB). */
export const MAX_FIX_CHARS = 16 * 1024;

export const checksSchemas = [
  commandSchema(P.ready, z.strictObject({})),
  commandSchema(P.copyFix, z.strictObject({ text: z.string().min(1).max(MAX_FIX_CHARS) })),
  commandSchema(P.exportMarkdown, z.strictObject({})),
  commandSchema(P.runAgain, z.strictObject({})),
];

export const checksValidator = createMessageValidator(checksSchemas);
