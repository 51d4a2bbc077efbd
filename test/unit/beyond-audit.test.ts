/**
 * Issue 8 audit log wiring: the extension's recorder (src/tree/historyAudit.ts, what the operation
 * runner calls after every executed operation) and the CLI's mutating commands, which append to
 * `--audit-log FILE`, else $GPUP_AUDIT_LOG (set to a temp file by cli-harness for every test).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { AuditLog } from '../../src/audit/auditLog';
import { parseAuditLines } from '../../src/model/audit';
import { createScenario, SimBackend, SimWorld } from '../../src/sim/index';
import { auditOperation, onDidRecord, setAuditLog } from '../../src/tree/historyAudit';
import { buildCli, CLI, expectCode, gpup, ROOT, tempDir } from './cli-harness';

describe('extension audit recorder', () => {
  afterEach(() => setAuditLog(undefined));

  it('appends one record per executed operation and tells the history view', async () => {
    const t = tempDir();
    try {
      const file = t.file('storage/audit.jsonl');
      setAuditLog(new AuditLog(file));
      const seen: string[] = [];
      const sub = onDidRecord((r) => seen.push(`${r.kind} ${r.targets.join(',')}`));
      const backend = new SimBackend(new SimWorld(createScenario('demo')), 'demo');
      const request = { kind: 'assign' as const, server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: true };
      const plan = await backend.plan(request);
      const result = await backend.execute(request);
      const rec = await auditOperation('demo', plan, result);
      sub.dispose();
      assert.ok(rec);
      assert.deepEqual(seen, ['assign AZL-N01/cad-ws-02']);
      const { records, skipped } = parseAuditLines(readFileSync(file, 'utf8'));
      assert.equal(skipped, 0);
      assert.equal(records.length, 1);
      assert.equal(records[0].connection, 'demo');
      assert.equal(records[0].result.ok, true);
      assert.ok(records[0].plan.some((s) => /Add-VMGpuPartitionAdapter/.test(s.command)));
      assert.match(records[0].scriptSha256, /^[0-9a-f]{64}$/);
    } finally {
      t.dispose();
    }
  });

  it('never throws when the log cannot be written; it warns instead', async () => {
    const t = tempDir();
    try {
      writeFileSync(t.file('not-a-dir'), 'x');
      const warnings: string[] = [];
      setAuditLog(new AuditLog(t.file('not-a-dir/audit.jsonl')), (m) => warnings.push(m));
      const backend = new SimBackend(new SimWorld(createScenario('demo')), 'demo');
      const request = { kind: 'unassign' as const, server: 'AZL-N01', vms: ['render-01'] };
      const rec = await auditOperation('demo', await backend.plan(request), await backend.execute(request));
      assert.equal(rec, undefined);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /could not be written/);
    } finally {
      t.dispose();
    }
  });

  it('records nothing when no log is set (tests, or before activation)', async () => {
    const backend = new SimBackend(new SimWorld(createScenario('demo')), 'demo');
    const request = { kind: 'unassign' as const, server: 'AZL-N01', vms: ['render-01'] };
    assert.equal(await auditOperation('demo', await backend.plan(request), await backend.execute(request)), undefined);
  });
});

describe('gpup mutating commands write the audit log', function () {
  this.timeout(60000);
  before(() => buildCli());

  it('the test run never writes into the home directory: GPUP_AUDIT_LOG points into the temp dir', () => {
    assert.ok(process.env.GPUP_AUDIT_LOG && !process.env.GPUP_AUDIT_LOG.startsWith(path.join(homedir(), '.gpup')));
  });

  it('--audit-log FILE gets one record per executed change; --what-if and refusals record nothing', () => {
    const t = tempDir();
    try {
      const state = t.file('demo.json');
      const log = t.file('audit.jsonl');
      expectCode(gpup('sim', 'init', 'demo', '--out', state), 0);
      expectCode(gpup('assign', '--sim', state, '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--what-if', '--audit-log', log), 0);
      assert.equal(existsSync(log), false, 'a what-if changes nothing and records nothing');
      expectCode(gpup('assign', '--sim', state, '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--force-shutdown', '--yes', '--audit-log', log), 0);
      expectCode(gpup('unassign', '--sim', state, '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--yes', '--audit-log', log), 0);
      const { records } = parseAuditLines(readFileSync(log, 'utf8'));
      assert.deepEqual(records.map((r) => [r.kind, r.targets, r.result.ok, r.connection]), [
        ['assign', ['AZL-N01/cad-ws-02'], true, `sim:${state}`],
        ['unassign', ['AZL-N01/cad-ws-02'], true, `sim:${state}`],
      ]);
      const history = expectCode(gpup('history', '--audit-log', log), 0);
      assert.match(history.stdout, /unassign  AZL-N01\/cad-ws-02  ok \(1\)/);
    } finally {
      t.dispose();
    }
  });

  it('without --audit-log the change goes to $GPUP_AUDIT_LOG', () => {
    const t = tempDir();
    try {
      const state = t.file('demo.json');
      const envLog = t.file('env-audit.jsonl');
      expectCode(gpup('sim', 'init', 'demo', '--out', state), 0);
      const r = spawnSync(process.execPath, [CLI, 'unassign', '--sim', state, '--server', 'AZL-N01', '--vm', 'render-01', '--yes'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, GPUP_AUDIT_LOG: envLog },
      });
      assert.equal(r.status, 0, r.stderr);
      const { records } = parseAuditLines(readFileSync(envLog, 'utf8'));
      assert.deepEqual(records.map((x) => x.targets), [['AZL-N01/render-01']]);
    } finally {
      t.dispose();
    }
  });
});
