/**
 * The one JSON writer of the CLI. UInt64 values are `bigint` in the model (real drivers report
 * 18446744073709551615, domain doc §1.1 [COMMUNITY S26]), which JSON numbers cannot hold, so they are
 * written as decimal strings.
 */
export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString(10) : value;
}

/** Pretty JSON with bigints as decimal strings, newline-terminated. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, bigintReplacer, 2) + '\n';
}
