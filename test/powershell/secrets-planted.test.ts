/**
 * Issue 7, "Secrets", against real pwsh: a planted password given to the PowerShell backend as the
 * connection's credential (as the extension's CredentialStore gives it) travels as data only (not
 * on the process's command line, not in its environment), and every way a script can send it back
 * (warning, verbose, information, host, stray stdout, stderr, non-terminating and terminating
 * errors, error envelopes, malformed output) ends redacted in every sink the extension has: the
 * output channel lines, its log lines, the thrown errors (what the user sees), the inventory and the
 * audit log. The scripts here are test doubles in a temp scripts folder that echo the password on
 * purpose; a marker printed next to it proves each sink was really fed.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AuditLog } from '../../src/audit/auditLog';
import { createOutputSink } from '../../src/commands/outputSink';
import { redactingAuditLog, redactingBackend, redactingLog, SecretRedactor } from '../../src/connections/secretRedactor';
import { HyperVBackend } from '../../src/hyperv/hypervBackend';
import { readEnvelope } from '../../src/hyperv/runner';
import type { OperationPlan, OperationResult, OutputRecord } from '../../src/model/types';
import { requirePwsh } from './helpers';

const PLANTED = "Pl@nted'Pw\"$(whoami)`-5521";
const MARKER = 'MARKER-8830';

// Each script echoes $Params.credential.password through every stream, then ends as the target's
// first server asked for says: an error envelope, malformed output, or a terminating error.
const ECHO = String.raw`
$pw = [string]$Params.credential.password
$mode = [string]@($Params.servers)[0]
Write-Warning "${MARKER} warning $pw"
Write-Verbose "${MARKER} verbose $pw" -Verbose
Write-Information "${MARKER} information $pw"
Write-Host "${MARKER} host $pw"
[Console]::WriteLine("${MARKER} stray $pw")
[Console]::Error.WriteLine("${MARKER} stderr $pw")
Write-Error "${MARKER} non-terminating $pw" -ErrorAction Continue
if ($mode -eq 'envelope') {
  ConvertTo-Json -Compress -Depth 5 -InputObject ([ordered]@{ ok = $false; records = @(); errors = @([ordered]@{ host = 'hv01'; message = "${MARKER} Access is denied for $pw" }) })
} elseif ($mode -eq 'malformed') {
  "{ ${MARKER} not json $pw"
} else {
  throw "${MARKER} terminating $pw"
}
`;

class Channel {
  lines: string[] = [];
  trace(m: string) { this.lines.push(m); }
  debug(m: string) { this.lines.push(m); }
  info(m: string) { this.lines.push(m); }
  warn(m: string) { this.lines.push(m); }
  error(m: string) { this.lines.push(m); }
  appendLine(m: string) { this.lines.push(m); }
}

describe('secrets: a planted password through real pwsh', function () {
  this.timeout(120_000);
  let pwsh: string;
  let dir: string;
  const backends: HyperVBackend[] = [];

  before(function () {
    pwsh = requirePwsh(this);
    dir = mkdtempSync(path.join(tmpdir(), 'gpup-planted-'));
    mkdirSync(path.join(dir, 'scripts'));
    writeFileSync(path.join(dir, 'scripts', '_common.ps1'), '# test double: nothing shared\n');
    for (const name of ['inventory', 'assign', 'unassign', 'set-count']) writeFileSync(path.join(dir, 'scripts', `${name}.ps1`), ECHO);
  });
  after(async () => {
    for (const b of backends) await b.runner.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is redacted from every sink, and is on neither the command line nor the environment of pwsh', async () => {
    const redactor = new SecretRedactor();
    // What CredentialStore.get/set do with every password they hand out.
    redactor.add(PLANTED);
    const raw = new Channel();
    const channel = redactingLog(raw, redactor);
    const sink = createOutputSink(channel);
    const shown: string[] = [];
    const leaks: string[] = [];

    const hv = new HyperVBackend({
      connection: 'planted',
      target: { kind: 'server', computerName: 'hv01', credential: async () => ({ userName: 'CONTOSO\\admin', password: PLANTED }) },
      pwshPath: pwsh,
      scriptsDir: path.join(dir, 'scripts'),
      timeoutMs: 60_000,
      log: (l) => channel.debug(l),
    });
    backends.push(hv);
    const backend = redactingBackend(hv, redactor);
    for (const mode of ['envelope', 'malformed', 'terminating']) {
      await assert.rejects(backend.inventory({ sink, servers: [mode] }), (e: unknown) => {
        // What the extension shows and logs for a failed read (InventoryStore.onError, error nodes).
        shown.push(e instanceof Error ? `${e.message}\n${e.stack}` : String(e));
        channel.error(`Could not read "planted-${mode}": ${e instanceof Error ? e.message : String(e)}`);
        return true;
      });

      // The process that holds the password: not in its command line, not in its environment.
      const pid = hv.runner.pid;
      if (pid && existsSync(`/proc/${pid}/cmdline`)) {
        for (const f of ['cmdline', 'environ']) {
          const text = readFileSync(`/proc/${pid}/${f}`, 'latin1');
          if (text.includes(PLANTED) || text.includes(Buffer.from(PLANTED).toString('base64'))) leaks.push(`/proc/${pid}/${f}`);
        }
      }
    }

    // The audit log, written the way the extension writes it, with an item error carrying the password.
    const request = { kind: 'unassign' as const, server: 'hv01', vms: ['vm1'] };
    const plan: OperationPlan = { request, items: [{ server: 'hv01', target: 'vm1', steps: [] }], refusals: [], vmsPowerCycled: [], gpusChanged: [] };
    const result: OperationResult = redactor.redactDeep({ request, ok: false, items: [{ server: 'hv01', target: 'vm1', ok: false, error: `${MARKER} ${PLANTED}`, completedSteps: [] }], refusals: [] });
    const auditFile = path.join(dir, 'audit.jsonl');
    await redactingAuditLog(new AuditLog(auditFile), redactor).record({ connection: 'planted', plan, result: { ...result, items: [{ ...result.items[0], error: `${MARKER} ${PLANTED}` }] } });

    const outputs = raw.lines.join('\n');
    const audit = readFileSync(auditFile, 'utf8');
    for (const stream of ['warning', 'verbose', 'information', 'host', 'stray', 'stderr', 'non-terminating']) {
      assert.ok(raw.lines.some((l) => l.includes(`${MARKER} ${stream}`)), `the ${stream} line reached the channel:\n${outputs}`);
    }
    assert.ok(shown.some((s) => s.includes(`${MARKER} Access is denied`)), 'the error envelope reached the error');
    assert.ok(shown.some((s) => s.includes(`${MARKER} not json`)), 'the malformed snippet reached the error');
    assert.ok(shown.some((s) => s.includes(`${MARKER} terminating`)), 'the terminating error reached the error');
    assert.ok(audit.includes(MARKER));

    const all = [outputs, ...shown, audit].join('\n');
    const forms = [PLANTED, Buffer.from(PLANTED).toString('base64'), JSON.stringify(PLANTED).slice(1, -1)];
    const found = all.split('\n').filter((l) => forms.some((f) => l.includes(f)));
    assert.deepEqual(found, [], 'the planted password appears in a sink');
    assert.deepEqual(leaks, [], 'the planted password is readable from another process');
  });

  it('is redacted at the source, with no outer redactor: errors, malformed snippets, envelope messages, timeouts', async () => {
    // HyperVBackend and the runner alone (no redactingBackend, no SecretRedactor): the runner knows
    // the credential values of each call and redacts what it builds from the script's output.
    const logs: string[] = [];
    const records: OutputRecord[] = [];
    const hv = new HyperVBackend({
      connection: 'planted-source',
      target: { kind: 'server', computerName: 'hv01', credential: async () => ({ userName: 'CONTOSO\\admin', password: PLANTED }) },
      pwshPath: pwsh,
      scriptsDir: path.join(dir, 'scripts'),
      timeoutMs: 60_000,
      log: (l) => logs.push(l),
    });
    backends.push(hv);
    const shown: string[] = [];
    const describeError = (e: unknown): string => (e instanceof Error ? `${e.message}\n${e.stack}\n${JSON.stringify((e as { details?: unknown }).details ?? {})}` : String(e));
    for (const mode of ['envelope', 'malformed', 'terminating']) {
      await assert.rejects(hv.inventory({ sink: (r) => records.push(r), servers: [mode] }), (e: unknown) => {
        shown.push(describeError(e));
        return true;
      });
    }
    // Envelope messages (an item's error, the errors array) as readEnvelope hands them to execute().
    const cred = { credential: { userName: 'u', password: PLANTED } };
    const r = await hv.runner.run(
      `ConvertTo-Json -Compress -Depth 5 -InputObject ([ordered]@{ ok = $false; records = @([ordered]@{ type = 'item'; host = 'hv01'; target = 'vm1'; ok = $false; error = "${MARKER} item " + $Params.credential.password; completedSteps = @() }); errors = @([ordered]@{ message = "${MARKER} err " + $Params.credential.password }) })`,
      cred,
      { name: 'assign.ps1' },
    );
    const env = readEnvelope(r, 'assign.ps1');
    shown.push(JSON.stringify(env));
    // A malformed envelope longer than the snippet, the password across the cut.
    const long = await hv.runner.run(`'{ "ok": ' + ('x' * 110) + $Params.credential.password + ' ${MARKER} long'`, cred, { name: 'inventory.ps1' });
    assert.throws(() => readEnvelope(long, 'inventory.ps1'), (e: unknown) => {
      shown.push(describeError(e));
      return true;
    });
    // A timeout whose step names it.
    await assert.rejects(
      hv.runner.run(`Write-Information -MessageData @{ host = 'hv01'; target = ("${MARKER} vm " + $Params.credential.password); step = 'stop-vm'; message = 'stopping' } -Tags gpup; Start-Sleep -Seconds 30`, cred, {
        name: 'assign.ps1',
        timeoutMs: 3000,
      }),
      (e: unknown) => {
        shown.push(describeError(e));
        return true;
      },
    );

    for (const what of [`${MARKER} Access is denied`, `${MARKER} not json`, `${MARKER} terminating`, `${MARKER} item`, `${MARKER} err`, `${MARKER} vm`, 'xxxxxxxx']) {
      assert.ok(shown.some((x) => x.includes(what)), `${what} reached what is shown:\n${shown.join('\n')}`);
    }
    const all = [...shown, ...logs, JSON.stringify(records)].join('\n');
    const forms = [PLANTED, Buffer.from(PLANTED).toString('base64'), JSON.stringify(PLANTED).slice(1, -1)];
    // A cut secret leaves a prefix: none of its first 6 characters' run may survive either.
    forms.push(PLANTED.slice(0, 6));
    const found = all.split('\n').filter((l) => forms.some((f) => l.includes(f)));
    assert.deepEqual(found, [], 'the planted password appears without the outer redactor');
  });
});
