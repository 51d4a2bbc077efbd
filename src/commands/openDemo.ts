import * as vscode from 'vscode';
import { DEMO_CONNECTION } from '../connections/connectionConfig';
import { addConnection, readConnections } from '../connections/connections';
import type { CommandServices } from './services';

/** `gpuPartitions.openDemo`: adds the simulated `demo` connection if missing and shows the view. */
export async function openDemo(services: CommandServices): Promise<void> {
  const { connections } = readConnections();
  if (!connections.some((c) => c.name.toLowerCase() === DEMO_CONNECTION.name)) {
    await addConnection(DEMO_CONNECTION);
    services.reloadConnections();
    services.channel.info(`Added the simulated connection "${DEMO_CONNECTION.name}" (scenario ${DEMO_CONNECTION.scenario}).`);
  }
  await vscode.commands.executeCommand('gpuPartitions.clusters.focus');
}
