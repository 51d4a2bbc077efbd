import * as vscode from 'vscode';
import type { TreeNode } from '../tree/presentation';
import { type CredentialServices, pickHostConnection } from './setCredentials';

/** `gpuPartitions.forgetCredentials`: deletes a real connection's credentials from SecretStorage. */
export async function forgetCredentials(services: CredentialServices, node?: TreeNode): Promise<boolean> {
  const t = vscode.l10n.t;
  const connection = await pickHostConnection(t('Forget credentials'), node);
  if (!connection) return false;
  const had = await services.credentials.forget(connection.name);
  services.store.resetBackends((c) => c.name.toLowerCase() === connection.name.toLowerCase());
  services.channel.info(had ? `Credentials of "${connection.name}" were deleted from SecretStorage.` : `No credentials were stored for "${connection.name}".`);
  void vscode.window.showInformationMessage(had ? t('Credentials for {0} were forgotten.', connection.name) : t('No credentials are stored for {0}.', connection.name));
  return had;
}
