// "Preview script": the plan's exact commands as a PowerShell document. Names from a host end up
// in comments only, made single-line, so a hostile VM name cannot become a runnable line.
import * as assert from 'node:assert/strict';
import type { OperationPlan } from '../../src/model/types';
import { commentSafe, previewText } from '../../src/webviews/preview';

const texts = { header: 'What-if plan.', refused: 'Skipped', runAsAdmin: 'Run as Administrator.' };

describe('webview script preview', () => {
  it('commentSafe turns every line break and control character into an escape', () => {
    for (const c of ['\n', '\r', '\u2028', '\u2029', '\u0085', '\u000b', '\u000c', '\u0000']) {
      const s = commentSafe(`a${c}b`);
      assert.equal(/[\n\r\u2028\u2029\u0085\u000b\u000c\u0000]/.test(s), false, JSON.stringify(c));
      assert.match(s, /^a\\u00[0-9a-f]{2}b$|^a\\u20[0-9a-f]{2}b$/);
    }
  });

  it('puts the plan commands one per line and keeps hostile names inside comments', () => {
    const evil = "x\nRemove-Item C:\\ -Recurse #";
    const plan: OperationPlan = {
      request: { kind: 'assign', server: 'AZL-N01', vms: [evil], forceShutdownOfflineAction: true },
      items: [
        {
          server: 'AZL-N01',
          target: evil,
          initialState: 'Running',
          steps: [
            { action: 'stop-vm', server: 'AZL-N01', target: evil, command: "Stop-VM -Name 'x`nRemove-Item' -ComputerName 'AZL-N01'" },
            { action: 'add-adapter', server: 'AZL-N01', target: evil, command: "Add-VMGpuPartitionAdapter -VMName 'x' -ComputerName 'AZL-N01'" },
          ],
        },
      ],
      refusals: [{ server: 'AZL-N01', target: 'other\r\nStop-Computer', code: 'vmNotFound', message: 'not found' }],
      vmsPowerCycled: [{ server: 'AZL-N01', vm: evil }],
      gpusChanged: [],
    };
    const text = previewText(plan, 'demo', texts);
    const lines = text.split('\n');
    const runnable = lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
    assert.deepEqual(runnable, [plan.items[0].steps[0].command, plan.items[0].steps[1].command]);
    assert.ok(!lines.some((l) => l.startsWith('Remove-Item') || l.startsWith('Stop-Computer')));
    assert.match(text, /OfflineAction 3 \(force shutdown\): yes/);
  });
});
