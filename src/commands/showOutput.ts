import type { CommandServices } from './services';

/** `gpuPartitions.showOutput`: the LogOutputChannel where every backend step is written. */
export function showOutput(services: CommandServices): void {
  services.channel.show(true);
}
