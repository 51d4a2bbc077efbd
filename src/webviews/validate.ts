/**
 * Extension-side gate for every message a page posts. A page is less trusted than the extension
 * (it renders host-supplied names, and a compromised or buggy page can post anything), so each
 * message must be small, must name a known command, and must have params of the exact shape.
 * Anything else is dropped and reported to the caller (which logs it at trace level).
 *
 * Pure: no `vscode` import, so test/unit can exercise it.
 */
import * as z from 'zod';
import type { IpcCommand, IpcMessage } from './ipc';

/** Largest message accepted, measured as JSON characters. A form post is well under 4 KiB. */
export const MAX_MESSAGE_CHARS = 64 * 1024;
/** Deepest nesting accepted; the protocol needs 4. */
export const MAX_MESSAGE_DEPTH = 8;

export type Rejection =
  | { reason: 'too-large'; detail: string }
  | { reason: 'too-deep'; detail: string }
  | { reason: 'not-a-message'; detail: string }
  | { reason: 'unknown-command'; detail: string }
  | { reason: 'bad-params'; detail: string };

export type Checked<P = unknown> = { ok: true; message: IpcMessage<P> } | { ok: false; rejection: Rejection };

/** A command definition with the zod schema that checks its params. */
export interface CommandSchema<P> {
  command: IpcCommand<P>;
  params: z.ZodType<P>;
}

export function commandSchema<P>(command: IpcCommand<P>, params: z.ZodType<P>): CommandSchema<P> {
  return { command, params };
}

/** Names (bounded strings) as hosts report them: VM, server and GPU device paths. */
export const zName = z.string().min(1).max(512);

/**
 * Measures a value's JSON size without building the string, and stops as soon as it passes
 * `limit`, so a 100 MB array costs no more than `limit` characters of work. Returns
 * `Infinity` past the limit or the depth bound, or for values JSON cannot carry.
 */
export function boundedJsonSize(value: unknown, limit: number, maxDepth: number): { size: number; tooDeep: boolean } {
  let size = 0;
  let tooDeep = false;
  const visit = (v: unknown, depth: number): boolean => {
    if (size > limit) return false;
    if (depth > maxDepth) {
      tooDeep = true;
      return false;
    }
    switch (typeof v) {
      case 'string':
        size += v.length + 2;
        return size <= limit;
      case 'number':
      case 'boolean':
        size += String(v).length;
        return size <= limit;
      case 'undefined':
        return true;
      case 'object': {
        if (v === null) {
          size += 4;
          return true;
        }
        if (Array.isArray(v)) {
          size += 2 + Math.max(0, v.length - 1); // brackets and commas
          for (const item of v) if (!visit(item, depth + 1)) return false;
          return size <= limit;
        }
        const keys = Object.keys(v);
        size += 2 + Math.max(0, keys.length - 1);
        for (const k of keys) {
          size += k.length + 3;
          if (!visit((v as Record<string, unknown>)[k], depth + 1)) return false;
        }
        return size <= limit;
      }
      default:
        // bigint, function, symbol: not part of any protocol.
        size = Infinity;
        return false;
    }
  };
  visit(value, 0);
  return { size, tooDeep };
}

/**
 * Builds the checker for one panel: the only commands it accepts are those listed. The returned
 * function never throws.
 */
export function createMessageValidator(schemas: readonly CommandSchema<any>[], maxChars = MAX_MESSAGE_CHARS) {
  const byMethod = new Map<string, CommandSchema<unknown>>();
  for (const s of schemas) byMethod.set(s.command.method, s);
  const envelope = z.strictObject({ method: z.string().max(128), params: z.unknown() });

  return (raw: unknown): Checked => {
    const { size, tooDeep } = boundedJsonSize(raw, maxChars, MAX_MESSAGE_DEPTH);
    if (tooDeep) return { ok: false, rejection: { reason: 'too-deep', detail: `nesting deeper than ${MAX_MESSAGE_DEPTH}` } };
    if (size > maxChars) {
      return { ok: false, rejection: { reason: 'too-large', detail: `more than ${maxChars} characters` } };
    }
    const env = envelope.safeParse(raw);
    if (!env.success) return { ok: false, rejection: { reason: 'not-a-message', detail: z.prettifyError(env.error) } };
    const schema = byMethod.get(env.data.method);
    if (!schema) return { ok: false, rejection: { reason: 'unknown-command', detail: env.data.method.slice(0, 128) } };
    const params = schema.params.safeParse(env.data.params);
    if (!params.success) {
      return { ok: false, rejection: { reason: 'bad-params', detail: `${env.data.method}: ${z.prettifyError(params.error)}` } };
    }
    return { ok: true, message: { method: env.data.method, params: params.data } };
  };
}

export type MessageValidator = ReturnType<typeof createMessageValidator>;
