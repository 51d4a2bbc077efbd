/**
 * VRAM arithmetic on bigint, exact. UInt64 values (domain doc §1.1: real drivers print
 * 18446744073709551615) never pass through a JS number unless it is exactly representable.
 */

export const GIB = 1n << 30n;
export const UINT64_MAX = (1n << 64n) - 1n;

/** `numerator / denominator` rounded half up, for non-negative values. */
function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** `hundredths` as "I.FF". */
function fixed2(hundredths: bigint): string {
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${frac}`;
}

function assertUnsigned(value: bigint, what: string): void {
  if (value < 0n) throw new RangeError(`${what} must not be negative: ${value}`);
}

/**
 * WAC's tooltip under "Number of Partitions": TotalVRAM / count in GiB with 2 decimals
 * (domain doc §2 [S2] + [INFERENCE]: 15918030848 B / 8 = 1.85 GiB, the doc's "1.85 GB").
 */
export function vramPerPartitionGiB(totalVRAM: bigint, count: number): string {
  assertUnsigned(totalVRAM, 'TotalVRAM');
  if (!Number.isSafeInteger(count) || count <= 0) throw new RangeError(`Partition count must be a positive integer: ${count}`);
  return fixed2(divRoundHalfUp(totalVRAM * 100n, BigInt(count) * GIB));
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;

/**
 * Bytes in binary units with 2 decimals, rounded half up, computed exactly on bigint:
 * 3825205248n -> "3.56 GiB", 939524096n -> "896.00 MiB", 512n -> "512 B".
 * The unit is the largest one not above the value; rounding may print "1024.00 MiB" for a value
 * just under 1 GiB, which is exact to two decimals and never misleading.
 */
export function formatBytes(bytes: bigint): string {
  assertUnsigned(bytes, 'Bytes');
  let unit = 0;
  while (unit < UNITS.length - 1 && bytes >= 1n << (10n * BigInt(unit + 1))) unit++;
  if (unit === 0) return `${bytes} B`;
  return `${fixed2(divRoundHalfUp(bytes * 100n, 1n << (10n * BigInt(unit))))} ${UNITS[unit]}`;
}

/**
 * A bigint as a number, only when exact (|value| <= 2^53 - 1). Throws otherwise: callers that accept
 * loss must say so by calling `toApproximateNumber`.
 */
export function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`${value} cannot be represented exactly as a number`);
  }
  return Number(value);
}

/** A bigint as the nearest number: LOSSY above 2^53, for charts and ratios only, never for display of values. */
export function toApproximateNumber(value: bigint): number {
  return Number(value);
}

/** UInt64.MaxValue: the placeholder client GPU-PV drivers print for encode (domain doc §1.1 [COMMUNITY S26-S28]). */
export function isUInt64Max(value: bigint): boolean {
  return value === UINT64_MAX;
}
