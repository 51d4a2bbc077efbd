/**
 * GPU models the simulator knows, with the figures their GPU-P driver reports through
 * Get-VMHostPartitionableGpu (domain doc §1.1, §3). Real figures where a source has them; every
 * other value is DERIVED and marked so next to it.
 */

export interface PartitionProfile {
  /** Min = Max = Optimal per-partition values for one PartitionCount (NVIDIA reports all three equal [S4]). */
  vram: bigint;
  encode: bigint;
  decode: bigint;
  compute: bigint;
  /** True when no source confirms these numbers (derived by the rules below). */
  derived: boolean;
}

export interface GpuModel {
  key: string;
  friendlyName: string;
  manufacturer: string;
  /** PCI vendor / device / subsystem ids, as they appear in the PnP InstanceId. */
  vendorId: string;
  deviceId: string;
  subsysId: string;
  revision: string;
  totalVRAM: bigint;
  totalEncode: bigint;
  totalDecode: bigint;
  totalCompute: bigint;
  /** Descending, as the driver reports them ({16, 8, 4, 2...} [S4]). */
  validPartitionCounts: number[];
  profiles: Record<number, PartitionProfile>;
}

const MiB = 1024n * 1024n;

/** VRAM share left after the vendor reserve, observed on the A2/A16 [S4]: 16 -> 94.44 %, 4 -> 96.12 %. */
const OBSERVED_RESERVE = { atHighCount: { count: 16, ratio: (939524096 * 16) / 15918030848 }, atLowCount: { count: 4, ratio: (3825205248 * 4) / 15918030848 } };

/**
 * DERIVED [INFERENCE]: per-partition VRAM = total × reserve ratio / count, floored to whole MiB (the
 * two confirmed sizes are whole MiB: 896 and 3648). The ratio is interpolated on log2(count)
 * between the two observed points and held flat outside them.
 */
export function derivedPartitionVram(total: bigint, count: number): bigint {
  const lo = OBSERVED_RESERVE.atLowCount;
  const hi = OBSERVED_RESERVE.atHighCount;
  let ratio: number;
  if (count <= lo.count) ratio = lo.ratio;
  else if (count >= hi.count) ratio = hi.ratio;
  else {
    const t = (Math.log2(count) - Math.log2(lo.count)) / (Math.log2(hi.count) - Math.log2(lo.count));
    ratio = lo.ratio + (hi.ratio - lo.ratio) * t;
  }
  const bytes = (Number(total) * ratio) / count;
  return (BigInt(Math.floor(bytes)) / MiB) * MiB;
}

/** DERIVED [INFERENCE §3]: encode/decode/compute per partition = floor(total / count) (fits the confirmed 16 and 4 exactly). */
function derivedProfile(total: { vram: bigint; encode: bigint; decode: bigint; compute: bigint }, count: number): PartitionProfile {
  const c = BigInt(count);
  return {
    vram: derivedPartitionVram(total.vram, count),
    encode: total.encode / c,
    decode: total.decode / c,
    compute: total.compute / c,
    derived: true,
  };
}

function model(m: Omit<GpuModel, 'profiles'>, confirmed: Record<number, Omit<PartitionProfile, 'derived'>> = {}): GpuModel {
  const profiles: Record<number, PartitionProfile> = {};
  const totals = { vram: m.totalVRAM, encode: m.totalEncode, decode: m.totalDecode, compute: m.totalCompute };
  for (const count of m.validPartitionCounts) {
    profiles[count] = confirmed[count] ? { ...confirmed[count], derived: false } : derivedProfile(totals, count);
  }
  return { ...m, profiles };
}

/** A2's reported TotalVRAM over its 16 GiB of memory; used to DERIVE the totals of other models. */
const REPORTED_SHARE = 15918030848 / (16 * 1024 * 1024 * 1024);
/** DERIVED: reported TotalVRAM of a board with `gib` GiB, at the A2's reported share, whole MiB. */
function derivedTotalVram(gib: number): bigint {
  return (BigInt(Math.floor(gib * 1024 * 1024 * 1024 * REPORTED_SHARE)) / MiB) * MiB;
}

/**
 * Encode/decode totals are in 540p60 blocks [S24]; the A2 (1 NVENC, 2 NVDEC) reports 36 / 24 [S4],
 * i.e. 36 per encoder and 12 per decoder. DERIVED for other models from their engine counts.
 * Compute ("gigaflops of fp16" [S24]) is DERIVED by CUDA-core count relative to the A2 (1280 -> 2048).
 */
const perEncoder = 36n;
const perDecoder = 12n;
const computeFor = (cudaCores: number): bigint => BigInt(Math.floor((cudaCores * 2048) / 1280));

export const GPU_MODELS: Record<string, GpuModel> = {
  // NVIDIA A2: every total and the 16/4 profiles confirmed [S4]; counts {16,8,4,2,1} [S4, S19, S22].
  A2: model(
    {
      key: 'A2',
      friendlyName: 'NVIDIA A2',
      manufacturer: 'NVIDIA',
      vendorId: '10DE',
      deviceId: '25B6', // confirmed [S4]
      subsysId: '157E10DE', // confirmed [S4]
      revision: 'A1', // confirmed [S4]
      totalVRAM: 15918030848n, // confirmed [S4]
      totalEncode: 36n, // confirmed [S4]
      totalDecode: 24n, // confirmed [S4]
      totalCompute: 2048n, // confirmed [S4]
      validPartitionCounts: [16, 8, 4, 2, 1], // confirmed [S4, S22]
    },
    {
      16: { vram: 939524096n, encode: 2n, decode: 1n, compute: 128n }, // confirmed [S4]
      4: { vram: 3825205248n, encode: 9n, decode: 6n, compute: 512n }, // confirmed [S4]
      // 8, 2, 1: DERIVED (derivedProfile)
    },
  ),
  // NVIDIA A16 (one of the board's four GPUs): same DEV_25B6 "A2/A16-class" figures [S4].
  A16: model(
    {
      key: 'A16',
      friendlyName: 'NVIDIA A16',
      manufacturer: 'NVIDIA',
      vendorId: '10DE',
      deviceId: '25B6', // confirmed A2/A16-class [S4]
      subsysId: '14A910DE', // DERIVED: subsystem id UNCONFIRMED
      revision: 'A1',
      totalVRAM: 15918030848n, // confirmed A2/A16-class [S4]
      totalEncode: 36n, // confirmed [S4]
      totalDecode: 24n, // confirmed [S4]
      totalCompute: 2048n, // confirmed [S4]
      validPartitionCounts: [16, 8, 4, 2, 1], // confirmed [S4]
    },
    {
      16: { vram: 939524096n, encode: 2n, decode: 1n, compute: 128n }, // confirmed [S4]
      4: { vram: 3825205248n, encode: 9n, decode: 6n, compute: 512n }, // confirmed [S4]
    },
  ),
  // NVIDIA A10 (24 GB, 1 NVENC / 2 NVDEC, 9216 CUDA cores): every value DERIVED; counts from §3 [INFERENCE].
  A10: model({
    key: 'A10',
    friendlyName: 'NVIDIA A10',
    manufacturer: 'NVIDIA',
    vendorId: '10DE',
    deviceId: '2236', // DERIVED: PCI id list, not in the domain doc
    subsysId: '148210DE', // DERIVED: UNCONFIRMED
    revision: 'A1',
    totalVRAM: derivedTotalVram(24), // DERIVED
    totalEncode: 1n * perEncoder, // DERIVED
    totalDecode: 2n * perDecoder, // DERIVED
    totalCompute: computeFor(9216), // DERIVED
    validPartitionCounts: [12, 8, 6, 4, 3, 2, 1], // DERIVED [INFERENCE §3]
  }),
  // NVIDIA L4 (24 GB, 2 NVENC / 4 NVDEC, 7424 CUDA cores): every value DERIVED.
  L4: model({
    key: 'L4',
    friendlyName: 'NVIDIA L4',
    manufacturer: 'NVIDIA',
    vendorId: '10DE',
    deviceId: '27B8', // DERIVED: PCI id list
    subsysId: '16CA10DE', // DERIVED: UNCONFIRMED
    revision: 'A1',
    totalVRAM: derivedTotalVram(24), // DERIVED
    totalEncode: 2n * perEncoder, // DERIVED
    totalDecode: 4n * perDecoder, // DERIVED
    totalCompute: computeFor(7424), // DERIVED
    validPartitionCounts: [12, 8, 6, 4, 3, 2, 1], // DERIVED [INFERENCE §3]
  }),
  // NVIDIA A40 (48 GB, 1 NVENC / 2 NVDEC, 10752 CUDA cores): every value DERIVED.
  A40: model({
    key: 'A40',
    friendlyName: 'NVIDIA A40',
    manufacturer: 'NVIDIA',
    vendorId: '10DE',
    deviceId: '2235', // DERIVED: PCI id list
    subsysId: '145A10DE', // DERIVED: UNCONFIRMED
    revision: 'A1',
    totalVRAM: derivedTotalVram(48), // DERIVED
    totalEncode: 1n * perEncoder, // DERIVED
    totalDecode: 2n * perDecoder, // DERIVED
    totalCompute: computeFor(10752), // DERIVED
    validPartitionCounts: [24, 16, 12, 8, 6, 4, 3, 2, 1], // DERIVED [INFERENCE §3]
  }),
  // NVIDIA L40S (48 GB, 3 NVENC / 3 NVDEC, 18176 CUDA cores): every value DERIVED.
  L40S: model({
    key: 'L40S',
    friendlyName: 'NVIDIA L40S',
    manufacturer: 'NVIDIA',
    vendorId: '10DE',
    deviceId: '26B9', // DERIVED: PCI id list
    subsysId: '185110DE', // DERIVED: UNCONFIRMED
    revision: 'A1',
    totalVRAM: derivedTotalVram(48), // DERIVED
    totalEncode: 3n * perEncoder, // DERIVED
    totalDecode: 3n * perDecoder, // DERIVED
    totalCompute: computeFor(18176), // DERIVED
    validPartitionCounts: [24, 16, 12, 8, 6, 4, 3, 2, 1], // DERIVED [INFERENCE §3]
  }),
};

export const GPU_MODEL_KEYS: readonly string[] = Object.keys(GPU_MODELS);

export function gpuModel(key: string): GpuModel {
  const m = GPU_MODELS[key];
  if (!m) throw new Error(`Unknown GPU model '${key}'. Known models: ${GPU_MODEL_KEYS.join(', ')}.`);
  return m;
}

/** The per-partition figures of `key` at `count`; undefined when `count` is not a valid count. */
export function profileFor(key: string, count: number): PartitionProfile | undefined {
  return gpuModel(key).profiles[count];
}
