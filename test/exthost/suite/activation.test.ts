import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension } from './helpers';

describe('activation', () => {
  it('activates and returns its API', async () => {
    const { ext, api } = await activateExtension();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.tree.getChildren, 'function');
  });

  it('registers every command that package.json contributes', async () => {
    const { ext } = await activateExtension();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    // names.md "Commands (ids)": the manifest must at least contribute these.
    for (const id of [
      'gpuPartitions.addCluster', 'gpuPartitions.removeCluster', 'gpuPartitions.openDemo', 'gpuPartitions.refresh',
      'gpuPartitions.configurePartitionCount', 'gpuPartitions.assignPartition', 'gpuPartitions.unassignPartition',
      'gpuPartitions.showDetails', 'gpuPartitions.previewScript', 'gpuPartitions.showOutput',
    ]) {
      assert.ok(contributed.includes(id), `package.json does not contribute ${id}`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
