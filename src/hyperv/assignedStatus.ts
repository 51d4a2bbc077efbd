/**
 * WAC's "Assigned status" of a GPU (domain doc §2: Partitioned, Ready for DDA assignment,
 * Paravirtualization, Not assignable) from what a host reports. WAC's own rule is UNCONFIRMED; this
 * is the same rule the simulator chose (src/sim/state.ts assignedStatusOf, src/sim/choices.ts),
 * expressed over observable facts instead of simulator state:
 * - no PCI Express capability (DEVPKEY_PciDevice_ExpressSpecVersion absent or 0): "an older
 *   PCI-style device or switch port" -> NotAssignable;
 * - listed by Get-VMHostPartitionableGpu -> Partitioned;
 * - the vGPU host driver (nvgridswhci.inf, §3 [S16]) with SR-IOV not OK
 *   (DEVPKEY_PciDevice_SriovSupport != 0): "partitioned driver capability installed but SR-IOV on
 *   the server isn't enabled" [S2] -> Paravirtualization;
 * - anything else (datacenter or mitigation driver, no driver, dismounted) -> ReadyForDDA.
 * Fragile on real hosts: DEVPKEY_Device_DriverInfPath is the published name (oemNN.inf), so the
 * vGPU driver is recognised only where the INF keeps its original name (the emulation's case).
 */
import type { AssignedStatus } from '../model/types';

export interface DeviceFacts {
  expressSpecVersion?: number;
  sriovSupport?: number;
  driverInf?: string;
}

const VGPU_HOST_INF = /nvgridsw/i;

export function deriveAssignedStatus(facts: DeviceFacts, partitionable: boolean): AssignedStatus {
  if (!facts.expressSpecVersion) return 'NotAssignable';
  if (partitionable) return 'Partitioned';
  if (facts.driverInf !== undefined && VGPU_HOST_INF.test(facts.driverInf) && facts.sriovSupport !== undefined && facts.sriovSupport !== 0) {
    return 'Paravirtualization';
  }
  return 'ReadyForDDA';
}
