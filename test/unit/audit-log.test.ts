/** Audit log: records built from a real simulator plan and result, appended as JSON lines, read back, exported. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import * as path from 'node:path';
import { AuditLog, makeAuditRecord, sha256Hex } from '../../src/audit/auditLog';
import { parseAuditLines, planCommandsText, renderAuditMarkdown, renderAuditText, requestTargets } from '../../src/model/audit';
import type { OperationRequest } from '../../src/model/types';
import { createScenario, SimBackend, SimWorld } from '../../src/sim/index';

describe('audit log', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gpup-audit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function assignOnDemo() {
    const backend = new SimBackend(new SimWorld(createScenario('demo')), 'demo');
    const request: OperationRequest = { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: true };
    const plan = await backend.plan(request);
    const result = await backend.execute(request);
    return { plan, result };
  }

  it('records who, when, what, the plan, the result and the hash of the plan commands', async () => {
    const { plan, result } = await assignOnDemo();
    assert.ok(plan.items.length > 0 && result.ok);
    const rec = makeAuditRecord({ connection: 'demo', plan, result, time: new Date('2026-11-27T06:00:00Z') });
    assert.equal(rec.v, 1);
    assert.equal(rec.time, '2026-11-27T06:00:00.000Z');
    assert.equal(rec.user, userInfo().username);
    assert.equal(rec.connection, 'demo');
    assert.equal(rec.kind, 'assign');
    assert.deepEqual(rec.targets, ['AZL-N01/cad-ws-02']);
    assert.deepEqual(
      rec.plan.map((s) => s.action),
      plan.items[0].steps.map((s) => s.action),
    );
    assert.deepEqual(rec.result, { ok: true, succeeded: 1, failed: 0, refused: 0, errors: [] });
    const commands = plan.items.flatMap((i) => i.steps.map((s) => s.command)).join('\n');
    assert.equal(planCommandsText(plan), commands);
    assert.equal(rec.scriptSha256, createHash('sha256').update(commands).digest('hex'));
    assert.equal(rec.scriptKind, 'plan-commands');
    // Only these keys: nothing else (no connection settings, no credentials) reaches the file.
    assert.deepEqual(Object.keys(rec).sort(), ['connection', 'kind', 'plan', 'request', 'result', 'scriptKind', 'scriptSha256', 'targets', 'time', 'user', 'v']);
  });

  it('hashes the script text when one ran', async () => {
    const { plan, result } = await assignOnDemo();
    const rec = makeAuditRecord({ connection: 'c', plan, result, scriptText: 'param($p)\n', user: 'u' });
    assert.equal(rec.scriptSha256, sha256Hex('param($p)\n'));
    assert.equal(rec.scriptKind, 'script');
    assert.equal(rec.user, 'u');
  });

  it('appends JSON lines (creating the folder) and reads them back in order', async () => {
    const { plan, result } = await assignOnDemo();
    const log = new AuditLog(path.join(dir, 'sub', 'audit.jsonl'));
    assert.deepEqual(await log.read(), { records: [], skipped: 0 });
    const a = await log.record({ connection: 'demo', plan, result, time: new Date('2026-11-27T06:00:00Z') });
    const b = await log.record({ connection: 'demo', plan, result, time: new Date('2026-11-27T06:01:00Z') });
    const text = readFileSync(log.filePath, 'utf8');
    assert.equal(text.split('\n').length, 3);
    assert.ok(text.endsWith('\n'));
    assert.deepEqual((await log.read()).records, [a, b]);
    if (process.platform !== 'win32') assert.equal(statSync(log.filePath).mode & 0o777, 0o600);
  });

  it('skips a cut-off or foreign line instead of losing the history', async () => {
    const { plan, result } = await assignOnDemo();
    const log = new AuditLog(path.join(dir, 'audit.jsonl'));
    await log.record({ connection: 'demo', plan, result });
    appendFileSync(log.filePath, '{"time":"2026-11-27T06:0\n[1,2]\n\n');
    await log.record({ connection: 'demo', plan, result });
    const { records, skipped } = await log.read();
    assert.equal(records.length, 2);
    assert.equal(skipped, 2);
  });

  it('summarises failures and refusals', () => {
    const parsed = parseAuditLines('');
    assert.deepEqual(parsed, { records: [], skipped: 0 });
    const request: OperationRequest = { kind: 'unassign', server: 'S', vms: ['a', 'b'] };
    const rec = makeAuditRecord({
      connection: 'c',
      user: 'u',
      time: new Date('2026-01-01T00:00:00Z'),
      plan: { request, items: [], refusals: [], vmsPowerCycled: [], gpusChanged: [] },
      result: {
        request,
        ok: false,
        items: [{ server: 'S', target: 'a', ok: false, error: 'boom', rolledBack: true, completedSteps: [] }],
        refusals: [{ server: 'S', target: 'b', code: 'vmNoPartition', message: 'no partition' }],
      },
    });
    assert.deepEqual(rec.result, { ok: false, succeeded: 0, failed: 1, refused: 1, errors: ['S/a: boom (rolled back)', 'S/b: no partition'] });
    assert.deepEqual(requestTargets(request), ['S/a', 'S/b']);
    assert.equal(renderAuditText([rec]), `2026-01-01T00:00:00.000Z  u  c  unassign  S/a, S/b  0 ok, 1 failed, 1 refused  sha256:${rec.scriptSha256.slice(0, 12)}\n`);
  });

  it('exports Markdown newest first with each record\'s commands', async () => {
    const { plan, result } = await assignOnDemo();
    const older = makeAuditRecord({ connection: 'demo', plan, result, user: 'alice', time: new Date('2026-11-27T05:00:00Z') });
    const newer = makeAuditRecord({ connection: 'demo', plan, result, user: 'bob', time: new Date('2026-11-27T06:00:00Z') });
    const md = renderAuditMarkdown([older, newer]);
    assert.ok(md.indexOf('| bob |') < md.indexOf('| alice |'));
    assert.ok(md.includes('```powershell\n' + plan.items[0].steps.map((s) => s.command).join('\n') + '\n```'));
  });
});
