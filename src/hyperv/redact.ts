/**
 * Redaction for anything the runner logs or shows. Credentials travel as data inside the JSON
 * parameter object over stdin (never in script text, command line or environment); this keeps them
 * out of logs, the output panel and error messages too.
 */

const SECRET_KEYS = /^(password|secret|token|credential|passwd|pwd)$/i;
export const REDACTED = '***';

/** A deep copy of a parameter object with every secret-looking property replaced. */
export function redactParams<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redactValue);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_KEYS.test(k) && v !== undefined && v !== null ? REDACTED : redactValue(v);
    }
    return out;
  }
  return value;
}

/**
 * Replaces every occurrence of each secret (and its base64 forms, since the wire carries base64)
 * in a text. Secrets shorter than 3 characters are still replaced: a password is a password.
 */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) {
      continue;
    }
    for (const form of [s, Buffer.from(s, 'utf8').toString('base64'), JSON.stringify(s).slice(1, -1)]) {
      if (form) {
        out = out.split(form).join(REDACTED);
      }
    }
  }
  return out;
}

/** Collects the secret values of a parameter object (for redactText over anything derived from it). */
export function secretsOf(value: unknown, acc: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((v) => secretsOf(v, acc));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEYS.test(k) && typeof v === 'string' && v) {
        acc.push(v);
      } else {
        secretsOf(v, acc);
      }
    }
  }
  return acc;
}
