import type { TreeNode } from '../tree/presentation';
import { DetailsPanel, detailsRef } from '../webviews/details/panel';
import { toWorkflowServices } from '../webviews/pickers';
import type { CommandServices } from './services';

/**
 * `gpuPartitions.showDetails`: WAC's "Selected item details" for a GPU or a partition, in a panel
 * beside the editor that then follows the tree selection. Without an argument: the tree's
 * current selection.
 */
export function showDetails(services: CommandServices, node?: TreeNode): DetailsPanel {
  const target = node ?? services.treeView.selection[0];
  return DetailsPanel.show(toWorkflowServices(services), detailsRef(target));
}
