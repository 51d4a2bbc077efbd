/**
 * Issue 7, "Secrets": the extension's one redaction point (src/connections/secretRedactor.ts). A
 * backend that leaks a planted password everywhere it can (stream records, thrown errors, error
 * strings in results and inventories, a CancelledError's partial result) is wired exactly as
 * activate() wires it (redactingBackend -> InventoryStore / operations -> createOutputSink over the
 * redacting channel, the audit log writer); the password appears in no sink, and a marker written
 * next to it does (so the sinks were really fed and the test can fail).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AuditLog, makeAuditRecord } from '../../src/audit/auditLog';
import { createOutputSink } from '../../src/commands/outputSink';
import { InventoryStore } from '../../src/connections/inventoryStore';
import { redactingAuditLog, redactingBackend, redactingLog, SecretRedactor } from '../../src/connections/secretRedactor';
import { type Backend, CancelledError } from '../../src/model/backend';
import type { OperationRequest } from '../../src/model/types';
import { PowerShellError } from '../../src/hyperv/runner';
import { createScenario, SimBackend, SimWorld } from '../../src/sim';

const PLANTED = 'Pl@nted-S3cret-7781';
const MARKER = 'MARKER-4411';

/** A sim backend whose every output also carries the planted password. */
function leakyBackend(): Backend {
  const sim = new SimBackend(new SimWorld(createScenario('demo')), 'leaky');
  return {
    connection: 'leaky',
    async inventory(o) {
      o?.sink?.({ time: new Date().toISOString(), stream: 'warning', message: `${MARKER} warning password=${PLANTED}`, host: 'AZL-N01' });
      const inv = await sim.inventory(o);
      inv.servers[1].error = `${MARKER} Access denied for CONTOSO\\admin with ${PLANTED}`;
      return inv;
    },
    plan: (r, o) => sim.plan(r, o),
    async execute(r, o) {
      o?.sink?.({ time: new Date().toISOString(), stream: 'error', message: `${MARKER} error ${PLANTED}`, host: 'AZL-N01', target: 'cad-ws-02' });
      const res = await sim.execute(r, o);
      res.items[0] = { ...res.items[0], ok: false, error: `${MARKER} Start-VM failed: ${PLANTED}` };
      return res;
    },
    dispose: () => sim.dispose(),
  };
}

class FakeChannel {
  lines: string[] = [];
  trace(m: string) { this.lines.push(m); }
  debug(m: string) { this.lines.push(m); }
  info(m: string) { this.lines.push(m); }
  warn(m: string) { this.lines.push(m); }
  error(m: string | Error) { this.lines.push(String(m instanceof Error ? m.message : m)); }
  append(m: string) { this.lines.push(m); }
  appendLine(m: string) { this.lines.push(m); }
  show() { this.lines.push('<show>'); }
}

const ASSIGN: OperationRequest = { kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02'], forceShutdownOfflineAction: false };

describe('secrets: one redaction point for every sink', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'gpup-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('redact replaces the secret, its base64 and JSON-escaped forms; longest first', () => {
    const r = new SecretRedactor();
    r.add('ab"c');
    r.add('ab"cdef');
    const b64 = Buffer.from('ab"cdef').toString('base64');
    assert.equal(r.redact(`x ab"cdef y ${b64} z ${JSON.stringify('ab"c')}`), 'x *** y *** z "***"');
    assert.equal(new SecretRedactor().redact('ab"c'), 'ab"c', 'nothing registered: unchanged');
  });

  it('a planted password reaches no output line, log line, store error, result, error message or audit record', async () => {
    const redactor = new SecretRedactor();
    redactor.add(PLANTED);
    const raw = new FakeChannel();
    const channel = redactingLog(raw, redactor);
    const sink = createOutputSink(channel);
    const errors: string[] = [];
    const store = new InventoryStore({
      createBackend: () => redactingBackend(leakyBackend(), redactor),
      sink,
      onError: (name, e) => channel.error(`Could not read "${name}": ${e instanceof Error ? e.message : String(e)}`),
    });
    store.setConnections([{ name: 'leaky', kind: 'server', computerName: 'AZL-N01' }]);
    await store.ensureLoaded('leaky');
    const inv = store.inventory('leaky');
    assert.ok(inv);
    const backend = store.backend('leaky');
    const plan = await backend.plan(ASSIGN);
    const result = await backend.execute(ASSIGN, { sink });
    // The audit log, written as the extension writes it.
    const audit = redactingAuditLog(new AuditLog(path.join(dir, 'audit.jsonl')), redactor);
    await audit.record({ connection: 'leaky', plan, result });
    await audit.append(makeAuditRecord({ connection: 'leaky', plan, result: { ...result, items: [{ ...result.items[0], error: `direct ${PLANTED}` }] } }));
    channel.info(`logged directly: ${PLANTED} ${MARKER}`);
    channel.appendLine(PLANTED);

    const everything = [
      ...raw.lines,
      JSON.stringify(inv, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
      JSON.stringify(result),
      readFileSync(path.join(dir, 'audit.jsonl'), 'utf8'),
      ...errors,
    ].join('\n');
    assert.ok(everything.includes(MARKER), 'the sinks were fed');
    assert.ok(raw.lines.some((l) => l.includes(MARKER) && l.includes('***')), 'the output lines show *** where the password was');
    assert.ok(readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').includes(MARKER));
    assert.equal(everything.includes(PLANTED), false, `the planted password leaked:\n${everything.split('\n').filter((l) => l.includes(PLANTED)).join('\n')}`);
    store.dispose();
  });

  it('thrown errors keep their class and lose the password (message, stack, details, partial result)', async () => {
    const redactor = new SecretRedactor();
    redactor.add(PLANTED);
    const failing = (e: unknown): Backend => ({
      connection: 'x',
      inventory: async () => { throw e; },
      plan: async () => { throw e; },
      execute: async () => { throw e; },
      dispose: () => undefined,
    });
    const ps = new PowerShellError('malformed', `inventory.ps1 printed malformed JSON: {"password":"${PLANTED}"`, { script: 'inventory.ps1', target: PLANTED });
    await assert.rejects(redactingBackend(failing(ps), redactor).inventory(), (e: unknown) => {
      assert.ok(e instanceof PowerShellError);
      assert.equal(e.message.includes(PLANTED), false);
      assert.equal(String(e.stack).includes(PLANTED), false);
      assert.equal(JSON.stringify(e.details).includes(PLANTED), false);
      return true;
    });
    const cancelled = Object.assign(new CancelledError(`cancelled ${PLANTED}`), { result: { items: [{ error: PLANTED }] } });
    await assert.rejects(redactingBackend(failing(cancelled), redactor).execute(ASSIGN), (e: unknown) => {
      assert.ok(e instanceof CancelledError);
      assert.equal(JSON.stringify({ m: e.message, r: (e as unknown as { result: unknown }).result }).includes(PLANTED), false);
      return true;
    });
    await assert.rejects(redactingBackend(failing(`plain ${PLANTED}`), redactor).plan(ASSIGN), (e: unknown) => e instanceof Error && !e.message.includes(PLANTED));
  });

  it('the channel proxy keeps the channel\'s other members', () => {
    const raw = new FakeChannel();
    const ch = redactingLog(raw, new SecretRedactor());
    ch.show();
    assert.deepEqual(raw.lines, ['<show>']);
  });
});
