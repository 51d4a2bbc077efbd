/** Extension-side zod schemas of what the Assign partition page may post. */
import * as z from 'zod';
import { commandSchema, createMessageValidator, zName } from '../validate';
import * as P from './protocol';

const zParams = z.strictObject({
  server: zName,
  vms: z.array(zName).min(1).max(1024),
  // UInt64 as decimal digits (domain doc §1.1: VRAM is UInt64 bytes).
  vramBytes: z.string().regex(/^\d{1,20}$/),
  gpu: zName.optional(),
  forceShutdownOfflineAction: z.boolean(),
});

export const assignSchemas = [
  commandSchema(P.ready, z.strictObject({})),
  commandSchema(P.refresh, z.strictObject({})),
  commandSchema(P.serverChanged, z.strictObject({ server: zName })),
  commandSchema(P.assign, zParams),
  commandSchema(P.previewScript, zParams),
];

export const assignValidator = createMessageValidator(assignSchemas);
