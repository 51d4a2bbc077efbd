/**
 * Resolves what a user types on the command line (server, `--gpu`) against an inventory, so the
 * request carries the names exactly as the host reports them (OperationRequest targets).
 */
import { deviceKey, gpuName } from '../model/gpuIdentity';
import type { Gpu, Inventory, Server } from '../model/types';
import { CliError } from './errors';

export function resolveServer(inventory: Inventory, name: string, known?: Inventory): Server {
  const lower = name.toLowerCase();
  const server = inventory.servers.find((s) => s.name.toLowerCase() === lower);
  if (!server) {
    const names = (known ?? inventory).servers.map((s) => s.name);
    throw new CliError(
      `Server '${name}' was not found.` + (names.length > 0 ? ` Known servers: ${names.join(', ')}.` : '') + ' Run `gpup inventory` to list them.',
    );
  }
  if (server.error) {
    throw new CliError(`Server '${server.name}' could not be read: ${server.error}`);
  }
  return server;
}

/** A GPU usable for GPU-P, with its partitionable-GPU record. */
export type PartitionedGpu = Gpu & { partitionable: NonNullable<Gpu['partitionable']> };

/**
 * `--gpu` accepts, in this order: the partitionable GPU Name (device interface path, domain doc §1.1),
 * the index of the GPU on the server as `gpup inventory` lists it, the PnP friendly name when only one
 * GPU of the server has it. The Name and the PnP InstanceId name the same device (gpuIdentity.deviceKey).
 */
export function resolveGpu(server: Server, text: string): PartitionedGpu {
  const lower = text.toLowerCase();
  const key = deviceKey(text);
  let gpu: Gpu | undefined = server.gpus.find((g) => deviceKey(gpuName(g)) === key || deviceKey(g.device.instanceId) === key);
  if (!gpu && /^[0-9]+$/.test(text)) {
    gpu = server.gpus[Number(text)];
    if (!gpu) {
      throw new CliError(`GPU index ${text} does not exist on ${server.name}: it has ${server.gpus.length} GPU(s) (0..${server.gpus.length - 1}).`);
    }
  }
  if (!gpu) {
    const byFriendly = server.gpus.filter((g) => g.device.friendlyName.toLowerCase() === lower);
    if (byFriendly.length > 1) {
      throw new CliError(
        `'${text}' matches ${byFriendly.length} GPUs on ${server.name}. Use the index (${byFriendly
          .map((g) => server.gpus.indexOf(g))
          .join(', ')}) or the GPU Name shown by \`gpup inventory\`.`,
      );
    }
    gpu = byFriendly[0];
  }
  if (!gpu) {
    throw new CliError(`GPU '${text}' was not found on ${server.name}. Run \`gpup inventory\` to list its GPUs.`);
  }
  if (!gpu.partitionable || gpu.assignedStatus !== 'Partitioned') {
    throw new CliError(
      `GPU ${server.gpus.indexOf(gpu)} (${gpu.device.friendlyName}) on ${server.name} is ${gpu.assignedStatus}, not Partitioned: it cannot be used for GPU partitioning.`,
    );
  }
  return gpu as PartitionedGpu;
}

/** Every Partitioned GPU of a server (set-count without --gpu). */
export function partitionedGpus(server: Server): PartitionedGpu[] {
  return server.gpus.filter((g): g is PartitionedGpu => g.partitionable !== undefined && g.assignedStatus === 'Partitioned');
}
