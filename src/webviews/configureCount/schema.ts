/** Extension-side zod schemas of what the Configure partition count page may post. */
import * as z from 'zod';
import { commandSchema, createMessageValidator, zName } from '../validate';
import * as P from './protocol';

/** A GPU selection cannot exceed the inventory; 4096 GPUs is far past any cluster (16 servers x 4 GPUs in `large`). */
const zGpuRefs = z.array(z.strictObject({ server: zName, gpu: zName })).max(4096);
const zCount = z.number().int().min(1).max(65535); // PartitionCount is UInt16 (domain doc §1.2)
const zSeq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const zEmpty = z.strictObject({});

export const configureCountSchemas = [
  commandSchema(P.ready, z.strictObject({ seq: zSeq.optional() })),
  commandSchema(P.refresh, zEmpty),
  commandSchema(P.selectionChanged, z.strictObject({ seq: zSeq, selected: zGpuRefs })),
  commandSchema(P.configure, z.strictObject({ selected: zGpuRefs, count: zCount })),
  commandSchema(P.previewScript, z.strictObject({ selected: zGpuRefs, count: zCount })),
];

export const configureCountValidator = createMessageValidator(configureCountSchemas);
