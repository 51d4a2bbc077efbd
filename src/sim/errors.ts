/**
 * Errors the simulated cmdlets throw, shaped like PowerShell ErrorRecords (category + fully
 * qualified error id) so the emulation module can re-throw them faithfully. Confirmed texts live
 * here with their source; guessed texts live in choices.ts.
 */

export type SimErrorCategory =
  | 'ObjectNotFound'
  | 'InvalidOperation'
  | 'InvalidArgument'
  | 'ResourceUnavailable'
  | 'PermissionDenied'
  | 'OperationTimeout';

export class SimError extends Error {
  readonly category: SimErrorCategory;
  /** e.g. `ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVM` (§1.3 [COMMUNITY S38]). */
  readonly fullyQualifiedErrorId: string;
  /** The cmdlet the real host would have run, e.g. `Start-VM`. */
  readonly cmdlet: string;
  /** The SimWorld method that threw, e.g. `startVm`. */
  readonly operation: string;

  constructor(message: string, category: SimErrorCategory, operation: string, reason?: string) {
    super(message);
    this.name = 'SimError';
    this.category = category;
    this.operation = operation;
    const c = CMDLETS[operation];
    this.cmdlet = c?.cmdlet ?? operation;
    this.fullyQualifiedErrorId = `${reason ?? category},${c?.className ?? operation}`;
  }
}

/** Method -> cmdlet and its .NET command class (Hyper-V FQIDs end in the class name [COMMUNITY S38]). */
export const CMDLETS: Record<string, { cmdlet: string; className: string }> = {
  getClusterNodes: { cmdlet: 'Get-ClusterNode', className: 'Microsoft.FailoverClusters.PowerShell.GetNodeCommand' },
  getClusterName: { cmdlet: 'Get-Cluster', className: 'Microsoft.FailoverClusters.PowerShell.GetClusterCommand' },
  getPartitionableGpus: { cmdlet: 'Get-VMHostPartitionableGpu', className: 'Microsoft.HyperV.PowerShell.Commands.GetVMHostPartitionableGpu' },
  setPartitionCount: { cmdlet: 'Set-VMHostPartitionableGpu', className: 'Microsoft.HyperV.PowerShell.Commands.SetVMHostPartitionableGpu' },
  getPnpDevices: { cmdlet: 'Get-PnpDevice', className: 'Get-PnpDevice' },
  getVms: { cmdlet: 'Get-VM', className: 'Microsoft.HyperV.PowerShell.Commands.GetVM' },
  startVm: { cmdlet: 'Start-VM', className: 'Microsoft.HyperV.PowerShell.Commands.StartVM' },
  stopVm: { cmdlet: 'Stop-VM', className: 'Microsoft.HyperV.PowerShell.Commands.StopVM' },
  getGpuPartitionAdapters: { cmdlet: 'Get-VMGpuPartitionAdapter', className: 'Microsoft.HyperV.PowerShell.Commands.GetVMGpuPartitionAdapter' },
  addGpuPartitionAdapter: { cmdlet: 'Add-VMGpuPartitionAdapter', className: 'Microsoft.HyperV.PowerShell.Commands.AddVMGpuPartitionAdapter' },
  setGpuPartitionAdapter: { cmdlet: 'Set-VMGpuPartitionAdapter', className: 'Microsoft.HyperV.PowerShell.Commands.SetVMGpuPartitionAdapter' },
  removeGpuPartitionAdapter: { cmdlet: 'Remove-VMGpuPartitionAdapter', className: 'Microsoft.HyperV.PowerShell.Commands.RemoveVMGpuPartitionAdapter' },
  getClusterResource: { cmdlet: 'Get-ClusterResource', className: 'Microsoft.FailoverClusters.PowerShell.GetResourceCommand' },
  getClusterParameter: { cmdlet: 'Get-ClusterParameter', className: 'Microsoft.FailoverClusters.PowerShell.GetClusterParameterCommand' },
  setClusterParameter: { cmdlet: 'Set-ClusterParameter', className: 'Microsoft.FailoverClusters.PowerShell.SetClusterParameterCommand' },
  checkpointVm: { cmdlet: 'Checkpoint-VM', className: 'Microsoft.HyperV.PowerShell.Commands.CheckpointVM' },
  getHostFacts: { cmdlet: 'Get-CimInstance', className: 'Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand' },
  inventory: { cmdlet: 'Get-GpuInventory', className: 'Get-GpuInventory' },
};

/** §1.7 [COMMUNITY S38]. */
export const TEXT_VM_NOT_FOUND = (vm: string): string => `Hyper-V was unable to find a virtual machine with name "${vm}".`;
/** §1.5, §1.7 [COMMUNITY S38, S41]. */
export const TEXT_ADAPTER_NOT_FOUND = 'Unable to find a Gpu partition adapter matching the given criteria.';
/** §1.7 [S6; COMMUNITY S44]: VM start with no free partition or too little MMIO. */
export const TEXT_INSUFFICIENT_RESOURCES = 'GPU Partition: Error Insufficient system resources exist to complete the requested service.';
/** §1.7 [COMMUNITY S45]. */
export const TEXT_ACCESS_DENIED = "GPU Partition: Failed to Power On with Error 'Access is denied'";
/** §1.7 [COMMUNITY S46], with the GPU's device path in place of the sample's. */
export const TEXT_GROUP_POLICY = (gpu: string): string =>
  `Could not allocate partitionable GPU device '${gpu}' that is not compliant with currently set group policy.  See HyperV\\RequireSecureDeviceAssignment and HyperV\\RequireSupportedDeviceAssignment for more details.`;
/** §1.7 [COMMUNITY S47, S48]. */
export const TEXT_CHECKPOINT_GPUP = 'The operation cannot be performed on the virtual machine because it is assigned one or more GPUP partitions';
