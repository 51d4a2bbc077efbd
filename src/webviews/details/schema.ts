/** Extension-side zod schemas of what the Details page may post. */
import * as z from 'zod';
import { commandSchema, createMessageValidator } from '../validate';
import * as P from './protocol';

export const detailsSchemas = [
  commandSchema(P.ready, z.strictObject({})),
  // A value shown in the pane: at most a device path or a UInt64.
  commandSchema(P.copyValue, z.strictObject({ value: z.string().max(1024) })),
];

export const detailsValidator = createMessageValidator(detailsSchemas);
