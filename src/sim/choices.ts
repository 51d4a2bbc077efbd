/**
 * Every UNCONFIRMED fact the simulator depends on, in ONE place (domain doc: "Where this page says
 * UNCONFIRMED, the simulator makes a choice, names it in one place, and keeps it easy to change").
 * Confirmed texts live in errors.ts with their source; what is here is a guess, and says so.
 */

/**
 * Add/Remove/Set-VMGpuPartitionAdapter need the VM Off. The rule is documented WAC behaviour
 * (domain doc §1.3 [S2, S8]); the PowerShell error text is UNCONFIRMED. Chosen: the usual Hyper-V
 * wording for an invalid VM state, as the domain doc recommends.
 */
export const TEXT_VM_NOT_OFF = 'The operation cannot be performed while the virtual machine is in its current state.';

/**
 * How many GPU partition adapters one VM may hold. WAC and Azure Local enforce one; the WS2025
 * concept page says more appear as more GPUs (domain doc §1.3 conflict [S2, S3]). Default one.
 */
export const MAX_ADAPTERS_PER_VM = 1;
/** Error text when a second adapter is added. UNCONFIRMED (no public source). */
export const TEXT_TOO_MANY_ADAPTERS = (vm: string, max: number): string =>
  `The virtual machine "${vm}" already has ${max} GPU partition adapter${max === 1 ? '' : 's'}; only ${max} GPU partition${max === 1 ? ' is' : 's are'} supported per virtual machine.`;

/**
 * Before the VM starts, CurrentPartition*, PartitionId and PartitionVfLuid are unset (domain doc
 * §1.3: "presumably unset (UNCONFIRMED)"; note that the S4 sample shows them filled, its caption
 * says "VM not yet started", so this may be wrong). They fill when the VM starts and the partition
 * resolves ("Partitions are resolved only when the VM is started" [S7]).
 */
export const RESOLVED_FIELDS_UNSET_UNTIL_START = true;

/**
 * Stopping a VM (Off) releases its partition and clears Current*, PartitionId, PartitionVfLuid,
 * mirroring the "unset until start" choice above. UNCONFIRMED.
 */
export const STOP_CLEARS_RESOLVED_PARTITION = true;

/**
 * A Saved or Paused VM keeps its resolved partition (its vGPU state is part of the saved/paused
 * state) and so blocks a partition-count change and counts against Available*. UNCONFIRMED.
 */
export const SAVED_OR_PAUSED_HOLDS_PARTITION = true;

/**
 * Available{VRAM,Encode,Decode,Compute} = total minus the partitions that are resolved (domain doc
 * §3: "Available values fall when partitioned VMs run"; exact timing UNCONFIRMED). An adapter of a
 * VM that never started does not count ("AvailableVRAM == TotalVRAM … partition assigned to a VM
 * that was not started" [S4]).
 */
export const AVAILABLE_COUNTS_RESOLVED_ONLY = true;

/** Set-VMHostPartitionableGpu with a count outside ValidPartitionCounts: text UNCONFIRMED (§1.2). */
export const TEXT_INVALID_PARTITION_COUNT = (gpu: string, count: number, valid: number[]): string =>
  `The partition count ${count} is not valid for the partitionable GPU '${gpu}'. Valid partition counts are: ${valid.join(', ')}.`;

/**
 * Set-VMHostPartitionableGpu while a partition of that GPU is assigned: text UNCONFIRMED (§1.2).
 * WAC: "You must first unassign the partition" [S2]. Chosen wording says what to do.
 */
export const TEXT_PARTITIONS_ASSIGNED = (gpu: string, vms: string[]): string =>
  `The partition count of the partitionable GPU '${gpu}' cannot be changed while one or more of its partitions are assigned to virtual machines (${vms.join(', ')}). Unassign the partitions first.`;

/** `-Name`/`-InstancePath` naming no partitionable GPU: text UNCONFIRMED (§1.1, §1.3). */
export const TEXT_GPU_NOT_FOUND = (gpu: string): string => `Unable to find a partitionable GPU with the name '${gpu}'.`;

/** Add-VMGpuPartitionAdapter on a host with no partitionable GPU: text UNCONFIRMED (§1.3). */
export const TEXT_NO_PARTITIONABLE_GPU = 'No partitionable GPU was found on the host.';

/** Hyper-V cmdlets against a server without the Hyper-V role: text UNCONFIRMED. */
export const TEXT_HYPERV_NOT_INSTALLED = (server: string): string =>
  `Hyper-V is not installed on computer '${server}'. The Hyper-V cmdlets cannot be used against it.`;

/** Any cmdlet against a cluster node that is Down: WinRM-style text, UNCONFIRMED. */
export const TEXT_SERVER_UNREACHABLE = (server: string): string =>
  `Connecting to remote server ${server} failed: The WinRM client cannot complete the operation within the time specified. Check if the machine name is valid and is reachable over the network.`;

/** A -ComputerName the simulated world does not know: text UNCONFIRMED. */
export const TEXT_UNKNOWN_SERVER = (server: string): string =>
  `The computer '${server}' could not be resolved. Make sure the computer name is correct.`;

/** Failover-cluster texts: UNCONFIRMED wording. */
export const TEXT_NOT_CLUSTERED = 'The cluster service is not running on this computer, or it is not a member of a failover cluster.';
export const TEXT_CLUSTER_RESOURCE_NOT_FOUND = (name: string): string => `The cluster resource '${name}' could not be found.`;
export const TEXT_CLUSTER_PARAMETER_NOT_FOUND = (resource: string, parameter: string): string =>
  `The parameter '${parameter}' does not exist on the cluster resource '${resource}'.`;
export const TEXT_INVALID_OFFLINE_ACTION = (value: number): string =>
  `The value ${value} is not valid for the parameter 'OfflineAction'. Valid values are 0, 1, 2 and 3.`;
/** Stop-VM of a Saved VM without -TurnOff. UNCONFIRMED. */
export const TEXT_SAVED_NEEDS_TURN_OFF = (vm: string): string =>
  `The virtual machine "${vm}" is in the saved state. Use -TurnOff to discard the saved state.`;

/**
 * Cluster resource naming: Failover Clustering names a VM role's resource "Virtual Machine <vm>";
 * the docs' command `Get-ClusterResource -name vmname` (§1.9 [S2, S4]) uses the VM name. The sim
 * reports the "Virtual Machine <vm>" name and finds a resource by either. UNCONFIRMED.
 */
export const clusterResourceName = (vm: string): string => `Virtual Machine ${vm}`;

/**
 * Start of a GPU-P VM whose high MMIO space is below this fails with the "Insufficient system
 * resources" text (pain point 2, §5; §1.7 "VM start, MMIO or resources" [S6]). Whether GPU-P
 * enforces a figure is UNCONFIRMED (§1.8); 8 GiB follows the GPU-PV guidance "At least 8GB of IO
 * space is needed" [S11]. The Hyper-V default (512 MB [S15]) is below it.
 */
export const MIN_HIGH_MMIO_BYTES = 8n * 1024n * 1024n * 1024n;

/**
 * Starting a GPU-P VM with automatic checkpoints on fails with the checkpoint text (§1.7: "Automatic
 * checkpoints at VM start trigger it too" [COMMUNITY S47, S48]).
 */
export const AUTOMATIC_CHECKPOINT_BLOCKS_START = true;

/** A Generation 1 VM with an adapter: GPU-P supports Gen 2 only [S6]; what Hyper-V does with a Gen 1 VM is UNCONFIRMED, so the sim does not refuse it (the prerequisite checks flag it). */
export const GENERATION1_BLOCKS_START = false;

/**
 * The PnP status a GPU without a driver reports ("3D Video Controller" in Get-PnpDevice -Status
 * Error [S16]); its PnP class is UNCONFIRMED, chosen "Display" so `-Class Display` lists it.
 */
export const NO_DRIVER_FRIENDLY_NAME = '3D Video Controller';

/**
 * Which WAC "Assigned status" a GPU without a partitionable record shows (§2, §3 state machine).
 * WAC's own rule is UNCONFIRMED; the sim derives it from the GPU's facts as follows:
 * not PCI Express (older PCI device / switch port) -> NotAssignable; vGPU host driver with SR-IOV
 * off -> Paravirtualization; any other driver state (datacenter driver, mitigation driver,
 * no driver, dismounted) -> ReadyForDDA.
 */
export const ASSIGNED_STATUS_RULE_DOC = 'see assignedStatusOf() in state.ts';

/** PartitionVfLuid looks like `10-973909323` [S4]; its meaning is unknown. The sim makes `<10+gpu index>-<9 digits from a hash>`. */
export const VF_LUID_HIGH_BASE = 10;

/**
 * InstancePath of an adapter added without -InstancePath: unset until the VM starts, then the Name
 * of the GPU its partition resolved on (the S4 sample shows it filled after start). UNCONFIRMED.
 */
export const RESOLVED_GPU_SHOWN_AS_INSTANCE_PATH = true;

/**
 * SupportsOutgoingLiveMigration of a new adapter (WS2025, §1.4 [S1]): true when the host has IOMMU
 * DMA bit tracking (the §1.10 requirement [S3]), absent on hosts older than build 26100. UNCONFIRMED.
 */
export const OUTGOING_LM_FOLLOWS_IOMMU = true;

/** Set-VMGpuPartitionAdapter also needs the VM Off (like Add/Remove; UNCONFIRMED). */
export const SET_ADAPTER_NEEDS_OFF = true;

/** Default message of an injected 'fail' fault without a message. */
export const TEXT_INJECTED_FAULT = (operation: string, host: string): string => `Injected fault: ${operation} failed on ${host}.`;

// ---------------------------------------------------------------------------------------------
// Guest nvidia-smi (issue 8; src/sim/guest.ts answers the guest check with `nvidia-smi -q -x`).

/**
 * Product name a GPU-P guest's nvidia-smi prints. UNCONFIRMED for Hyper-V GPU-P: chosen after
 * NVIDIA's vGPU profile names (`<board>-<GB>Q`, e.g. "NVIDIA A2-4Q"): the board's nominal GB
 * (TotalVRAM in decimal GB, rounded: 15918030848 B -> 16) divided by the partition count.
 */
export const GUEST_PRODUCT_NAME = (friendlyName: string, totalVRAM: bigint, partitionCount: number): string => {
  const gb = Math.round(Number(totalVRAM) / 1e9) / partitionCount;
  return `${friendlyName}-${Number.isInteger(gb) ? gb : gb.toFixed(1)}Q`;
};

/** Licensed product of a Q profile (NVIDIA RTX Virtual Workstation). UNCONFIRMED which licence a GPU-P partition takes. */
export const GUEST_LICENSED_PRODUCT = 'NVIDIA RTX Virtual Workstation';

/** Days until the simulated licence lease expires, counted from the time of the check. UNCONFIRMED (NLS lease length is configurable). */
export const GUEST_LICENSE_DAYS = 90;

/**
 * Guest driver version: the same release as the host's vGPU driver (guest and host drivers must be
 * compatible, §3 [S25]); the host's Windows version 31.0.15.5160 is NVIDIA 551.60. Fallback when the
 * host version is not an NVIDIA one. UNCONFIRMED.
 */
export const GUEST_DRIVER_FALLBACK = '551.60';

/** CUDA version nvidia-smi prints for a driver branch (NVIDIA's pairing; UNCONFIRMED here for vGPU guests). */
export const GUEST_CUDA_BY_BRANCH: readonly { minBranch: number; cuda: string }[] = [
  { minBranch: 580, cuda: '13.0' },
  { minBranch: 570, cuda: '12.8' },
  { minBranch: 550, cuda: '12.4' },
  { minBranch: 535, cuda: '12.2' },
  { minBranch: 0, cuda: '12.0' },
];

/** Framebuffer the guest driver reserves and uses in a freshly started VM. UNCONFIRMED; 0 keeps total = partition VRAM. */
export const GUEST_FB_RESERVED_MIB = 0;
export const GUEST_FB_USED_MIB = 0;

/** PowerShell Direct (Invoke-Command -VMName) against a VM that is not running. Text UNCONFIRMED. */
export const TEXT_GUEST_VM_NOT_RUNNING = (vm: string): string =>
  `The virtual machine '${vm}' is not running. PowerShell Direct (Invoke-Command -VMName) needs a running virtual machine.`;

/** nvidia-smi in a VM without a GPU partition (no NVIDIA device for the driver): NVIDIA's usual text. */
export const TEXT_GUEST_NO_DRIVER =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";

// ---------------------------------------------------------------------------------------------
// Healthy host driver (issue 8, demo passes every check)

/**
 * NVIDIA host driver of a healthy simulated host: Windows driver version 32.0.15.7260 = NVIDIA
 * release 572.60, branch R570, i.e. vGPU 18, the first vGPU release with live migration of GPU-P VMs
 * (§1.10 [S3]). UNCONFIRMED: the exact release an Azure Local host would run, and that vGPU 18 is
 * branch R570 (INFERENCE from NVIDIA's numbering).
 */
export const HEALTHY_HOST_DRIVER_VERSION = '32.0.15.7260';

// ---------------------------------------------------------------------------------------------
// PnP device properties the bridge shows for a simulated GPU (src/sim/server.ts, pnpProperties)

/**
 * DEVPKEY_PciDevice_SriovSupport of a GPU whose SR-IOV is off in the BIOS. 0 is
 * DevProp_PciDevice_SriovSupport_Ok; which non-zero value a real host shows then is UNCONFIRMED.
 * Chosen: 3 (DevProp_PciDevice_SriovSupport_NoBusResource). src/hyperv/assignedStatus.ts only tests
 * "not 0", so another value changes nothing there.
 */
export const SRIOV_SUPPORT_WHEN_OFF = 3;

/**
 * DEVPKEY_Device_DriverInfPath of a GPU on the NVIDIA datacenter (non-vGPU) driver. The vGPU host
 * driver (nvgridswhci.inf) and the mitigation driver (nvidia_azure_stack_<model>_base.inf) are named
 * by domain doc §3 [S16]; the datacenter INF name is UNCONFIRMED. Chosen: 'nvdm.inf'. (A real host
 * shows oemNN.inf here anyway; see src/hyperv/assignedStatus.ts.)
 */
export const DATACENTER_DRIVER_INF = 'nvdm.inf';
