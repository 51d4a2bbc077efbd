/** The simulated Azure Local world (no `vscode` import): state, catalog, rules, fault injection, SimBackend. */
export { SimError, CMDLETS } from './errors';
export type { SimErrorCategory } from './errors';
export * as errorTexts from './errors';
export * as choices from './choices';
export { GPU_MODELS, GPU_MODEL_KEYS, gpuModel, profileFor, derivedPartitionVram } from './catalog';
export type { GpuModel, PartitionProfile } from './catalog';
export {
  parseState,
  serializeState,
  saveState,
  cloneState,
  simStateSchema,
  StateFormatError,
  partitionableNameOf,
  instanceIdOfPartitionableName,
  assignedStatusOf,
  isPartitionable,
  RESOURCE_KEYS,
  GPU_P_INTERFACE_GUID,
} from './state';
export type {
  SimState,
  SimServer,
  SimGpu,
  SimVm,
  SimAdapter,
  SimHostFacts,
  SimFault,
  SimResolvedPartition,
  FaultKind,
  GpuDriver,
  NodeState,
  ResourceKey,
  ResourceValues,
} from './state';
export { SCENARIOS, createScenario, loadState, guidFrom } from './scenarios';
export { SimWorld } from './world';
export type { SimWorldOptions, AddAdapterOptions, ClusterNodeInfo, ClusterResourceInfo } from './world';
export { awaitFault } from './faults';
export { SimBackend } from './simBackend';
