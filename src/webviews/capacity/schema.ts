/** Extension-side zod schemas of what the capacity page may post. */
import * as z from 'zod';
import { commandSchema, createMessageValidator } from '../validate';
import * as P from './protocol';

/** Bounds of the planner question: a cluster has at most thousands of VMs; no GPU has 1 TiB. */
export const MAX_VMS = 100_000;
export const MAX_VRAM_GIB = 1024;

export const capacitySchemas = [
  commandSchema(P.ready, z.strictObject({})),
  commandSchema(P.refresh, z.strictObject({})),
  commandSchema(P.ask, z.strictObject({ vmCount: z.number().int().min(1).max(MAX_VMS), vramGiB: z.number().positive().max(MAX_VRAM_GIB) })),
];

export const capacityValidator = createMessageValidator(capacitySchemas);
