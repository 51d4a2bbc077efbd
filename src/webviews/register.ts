import * as vscode from 'vscode';
import type { CommandServices } from '../commands/services';
import { AssignPanel } from './assign/panel';
import { CapacityPanel } from './capacity/panel';
import * as CapacityP from './capacity/protocol';
import { MAX_VMS, MAX_VRAM_GIB } from './capacity/schema';
import { ChecksPanel } from './checks/panel';
import * as ChecksP from './checks/protocol';
import * as AssignP from './assign/protocol';
import { ConfigureCountPanel } from './configureCount/panel';
import * as CountP from './configureCount/protocol';
import { DetailsPanel } from './details/panel';
import * as DetailsP from './details/protocol';
import { toWorkflowServices } from './pickers';
import { UnassignPanel } from './unassign/panel';
import * as UnassignP from './unassign/protocol';

/** A persisted page state is whatever the page stored; only a connection name is trusted from it, after checking. */
function connectionFrom(state: unknown, services: CommandServices): string | undefined {
  const c = state && typeof state === 'object' ? (state as { connection?: unknown }).connection : undefined;
  if (typeof c !== 'string') return undefined;
  return services.store.connections().find((x) => x.name.toLowerCase() === c.toLowerCase())?.name;
}

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.length <= 512).slice(0, 1024) : undefined;
}

/**
 * Panel restore after a window reload (the page's `vscode.setState` comes back here) and the
 * Details panel following the tree selection. Called once from registerCommands.
 */
export function registerWorkflowPanels(services: CommandServices): vscode.Disposable[] {
  const ws = () => toWorkflowServices(services);
  const closeIfGone = (panel: vscode.WebviewPanel, connection: string | undefined): connection is string => {
    if (connection) return true;
    panel.dispose(); // its connection was removed meanwhile
    return false;
  };
  return [
    vscode.window.registerWebviewPanelSerializer(CountP.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const connection = connectionFrom(state, services);
        if (!closeIfGone(panel, connection)) return;
        const s = state as Partial<CountP.ConfigureCountPersisted>;
        const selected = Array.isArray(s.selected)
          ? s.selected.filter((r): r is CountP.GpuRef => !!r && typeof r.server === 'string' && typeof r.gpu === 'string').slice(0, 4096)
          : undefined;
        ConfigureCountPanel.revive(ws(), panel, { connection, selected, count: typeof s.count === 'number' ? s.count : undefined });
      },
    }),
    vscode.window.registerWebviewPanelSerializer(AssignP.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const connection = connectionFrom(state, services);
        if (!closeIfGone(panel, connection)) return;
        const s = state as Partial<AssignP.AssignPersisted>;
        AssignPanel.revive(ws(), panel, {
          connection,
          server: typeof s.server === 'string' ? s.server : undefined,
          selected: strings(s.selected),
          forceShutdownOfflineAction: s.forceShutdownOfflineAction === true,
        });
      },
    }),
    vscode.window.registerWebviewPanelSerializer(UnassignP.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const connection = connectionFrom(state, services);
        if (!closeIfGone(panel, connection)) return;
        const s = state as Partial<UnassignP.UnassignPersisted>;
        UnassignPanel.revive(ws(), panel, { connection, server: typeof s.server === 'string' ? s.server : undefined, selected: strings(s.selected) });
      },
    }),
    vscode.window.registerWebviewPanelSerializer(DetailsP.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const ref = (state as Partial<DetailsP.DetailsPersisted> | undefined)?.ref;
        const valid =
          ref && typeof ref === 'object' && connectionFrom(ref, services) && typeof ref.server === 'string' && (ref.kind === 'gpu' ? typeof ref.gpu === 'string' : ref.kind === 'partition' && typeof ref.vm === 'string' && typeof ref.adapterId === 'string');
        DetailsPanel.revive(ws(), panel, { ref: valid ? ref : undefined });
      },
    }),
    vscode.window.registerWebviewPanelSerializer(ChecksP.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const connection = connectionFrom(state, services);
        if (!closeIfGone(panel, connection)) return;
        const server = (state as Partial<ChecksP.ChecksPersisted>).server;
        ChecksPanel.revive(ws(), panel, connection, typeof server === 'string' && server.length <= 512 ? server : undefined);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(CapacityP.viewType, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const connection = connectionFrom(state, services);
        if (!closeIfGone(panel, connection)) return;
        const s = state as Partial<CapacityP.CapacityPersisted>;
        // The planner question only within the limits the page's `ask` message is validated against.
        const ok = Number.isInteger(s.vmCount) && (s.vmCount as number) >= 1 && (s.vmCount as number) <= MAX_VMS && typeof s.vramGiB === 'number' && s.vramGiB > 0 && s.vramGiB <= MAX_VRAM_GIB;
        CapacityPanel.revive(ws(), panel, connection, ok ? { vmCount: s.vmCount as number, vramGiB: s.vramGiB as number } : undefined);
      },
    }),
    services.treeView.onDidChangeSelection((e) => DetailsPanel.follow(e.selection[0])),
  ];
}
