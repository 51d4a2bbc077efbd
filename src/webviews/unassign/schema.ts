/** Extension-side zod schemas of what the Unassign partition page may post. */
import * as z from 'zod';
import { commandSchema, createMessageValidator, zName } from '../validate';
import * as P from './protocol';

const zParams = z.strictObject({ server: zName, vms: z.array(zName).min(1).max(1024) });

export const unassignSchemas = [
  commandSchema(P.ready, z.strictObject({})),
  commandSchema(P.refresh, z.strictObject({})),
  commandSchema(P.serverChanged, z.strictObject({ server: zName })),
  commandSchema(P.unassign, zParams),
  commandSchema(P.previewScript, zParams),
];

export const unassignValidator = createMessageValidator(unassignSchemas);
