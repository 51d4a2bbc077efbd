import { strict as assert } from 'node:assert';
import { formatBytes, isUInt64Max, toSafeNumber, UINT64_MAX, vramPerPartitionGiB } from '../../src/model/vram';
import { A2_TOTAL_VRAM } from './fixtures/inventories';

describe('model/vram', () => {
  it("WAC's tooltip: 15918030848 B at 8 partitions is 1.85 (domain doc §2 [S2])", () => {
    assert.equal(vramPerPartitionGiB(A2_TOTAL_VRAM, 8), '1.85');
  });

  it('at 16, 4, 2, 1 partitions', () => {
    assert.equal(vramPerPartitionGiB(A2_TOTAL_VRAM, 16), '0.93');
    assert.equal(vramPerPartitionGiB(A2_TOTAL_VRAM, 4), '3.71');
    assert.equal(vramPerPartitionGiB(A2_TOTAL_VRAM, 2), '7.41');
    assert.equal(vramPerPartitionGiB(A2_TOTAL_VRAM, 1), '14.82');
  });

  it('rounds half up exactly, with no float error', () => {
    // 1.125 GiB -> 1.13 (half up); 1.124999... -> 1.12
    assert.equal(vramPerPartitionGiB((1n << 30n) + (1n << 27n), 1), '1.13');
    assert.equal(vramPerPartitionGiB((1n << 30n) + (1n << 27n) - 1n, 1), '1.12');
    assert.equal(vramPerPartitionGiB(0n, 4), '0.00');
  });

  it('stays exact above 2^53', () => {
    assert.equal(vramPerPartitionGiB(UINT64_MAX, 1), '17179869184.00');
    assert.equal(vramPerPartitionGiB(UINT64_MAX, 16), '1073741824.00');
  });

  it('refuses a non-positive or fractional count and negative VRAM', () => {
    assert.throws(() => vramPerPartitionGiB(A2_TOTAL_VRAM, 0), RangeError);
    assert.throws(() => vramPerPartitionGiB(A2_TOTAL_VRAM, 2.5), RangeError);
    assert.throws(() => vramPerPartitionGiB(-1n, 2), RangeError);
  });

  it('formatBytes', () => {
    assert.equal(formatBytes(3825205248n), '3.56 GiB');
    assert.equal(formatBytes(939524096n), '896.00 MiB');
    assert.equal(formatBytes(A2_TOTAL_VRAM), '14.82 GiB');
    assert.equal(formatBytes(0n), '0 B');
    assert.equal(formatBytes(1023n), '1023 B');
    assert.equal(formatBytes(1024n), '1.00 KiB');
    assert.equal(formatBytes(1536n), '1.50 KiB');
    assert.equal(formatBytes(1000000000n), '953.67 MiB');
    assert.equal(formatBytes(UINT64_MAX), '16.00 EiB');
    assert.equal(formatBytes((1n << 60n) * 3n / 2n), '1.50 EiB');
  });

  it('toSafeNumber refuses lossy conversion', () => {
    assert.equal(toSafeNumber(9007199254740991n), 9007199254740991);
    assert.throws(() => toSafeNumber(9007199254740992n), RangeError);
    assert.throws(() => toSafeNumber(UINT64_MAX), RangeError);
    assert.ok(isUInt64Max(18446744073709551615n));
    assert.ok(!isUInt64Max(18446744073709551614n));
  });
});
