/**
 * English texts of every finding and refusal, keyed by a stable code. The UI localises by code
 * (the template uses `{name}` placeholders, the same syntax `vscode.l10n.t(message, args)` takes);
 * the CLI and logs print the English text.
 *
 * Texts quoted from a source say so; the others are ours.
 */
/**
 * Marks an English template as a localisation key: scripts/l10n-extract.mjs collects every
 * `t('…')`-shaped call, so the UI's `vscode.l10n.t(template, args)` finds a translation for it.
 * An identity at run time; the model stays free of `vscode`.
 */
function t<T extends string>(template: T): T {
  return template;
}

export const MESSAGES = {
  // Configure partition count page, WAC (domain doc §2 [S2]; Japanese seed lines 54-58).
  nothingSelected: t('Select at least one GPU to configure.'),
  deselectedFromHomogeneousSet:
    t("You're not selecting all the GPUs of the homogeneous set; this might result in a different partition count across GPUs, which isn't recommended."),
  notAllSameConfiguration:
    t('Not all the GPUs across all the servers have the same configuration. Select the GPUs with the same configuration manually.'),
  differentConfigurationsSelected:
    t('The selected GPUs have different configurations (manufacturer, model, VRAM size or partition count). Select only GPUs with the same configuration.'),
  assignedPartitionSelected:
    t('A selected GPU has a partition assigned to a virtual machine ({vms}). Unassign the partition from the virtual machine first.'),
  // WAC empty state of the GPU partitions tab, exact text (domain doc §2 [S2]).
  noPartitionableGpus: t('No partitionable GPUs have been found. Please check that you have a GPU with the correct GPU-P driver to proceed.'),
  // WAC tooltip under the Number of Partitions dropdown (domain doc §2 [S2]); we say GiB because it is GiB.
  vramPerPartitionTip: t('Each partition gets {size} GiB of VRAM.'),

  // Refusals of a plan.
  noTargets: t('Nothing to do: nothing was selected.'),
  serverNotFound: t('Server "{server}" was not found.'),
  serverUnavailable: t('Server "{server}" could not be read: {error}'),
  gpuNotFound: t('GPU "{gpu}" was not found on server "{server}".'),
  gpuNotPartitioned: t('GPU {gpu} on server "{server}" is not partitionable (assigned status: {status}).'),
  countNotValid: t('Partition count {count} is not valid for GPU {gpu}. Valid counts: {valid}.'),
  gpuHasAssignedPartition: t('GPU {gpu} on server "{server}" has a partition assigned to {vms}. Unassign the partition first.'),
  // Hyper-V's own text (domain doc §1.7 [COMMUNITY S38]).
  vmNotFound: t('Hyper-V was unable to find a virtual machine with name "{vm}".'),
  vmNameAmbiguous: t('More than one virtual machine on server "{server}" is named "{vm}". Rename one first.'),
  vmAlreadyHasPartition: t('Virtual machine "{vm}" already has a GPU partition. A virtual machine can have only one.'),
  vmNoPartition: t('Virtual machine "{vm}" has no GPU partition to unassign.'),
  vmSaved: t('Virtual machine "{vm}" is saved. Resume it or shut it down first.'),
  vmPaused: t('Virtual machine "{vm}" is paused. Resume it or shut it down first.'),
  vmBusy: t('Virtual machine "{vm}" is {state}. Wait until it is Running or Off, then try again.'),
  vmGeneration: t('Virtual machine "{vm}" is generation {generation}. GPU partitions need a generation 2 virtual machine.'),
  vmNotClustered: t('Virtual machine "{vm}" is not a clustered role, so its offline action cannot be set.'),
  gpuFull: t('GPU {gpu} on server "{server}" has no free partition for "{vm}".'),
  serverFull: t('Server "{server}" has no free GPU partition for "{vm}".'),
} as const;

export type MessageCode = keyof typeof MESSAGES;

/** The English text of a code with its `{name}` placeholders filled (one pass: values are not re-read). */
export function formatMessage(code: MessageCode, args: Record<string, string | number> = {}): string {
  return MESSAGES[code].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(args, name) ? String(args[name]) : whole));
}

/** "a", "a and b", "a, b and c": lists of VM names inside messages. */
export function joinNames(names: readonly string[]): string {
  const quoted = names.map((n) => `"${n}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
