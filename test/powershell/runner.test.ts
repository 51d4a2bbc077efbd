/**
 * The runner against real pwsh: each node-powershell defect of style.md ("PowerShell from Node:
 * lessons from real bugs") is neutralised, and this proves it.
 */
import { strict as assert } from 'node:assert';
import { CancelledError } from '../../src/model/backend';
import type { OutputRecord } from '../../src/model/types';
import { invokeLine } from '../../src/hyperv/bootstrap';
import { PowerShellError, PowerShellRunner, readEnvelope } from '../../src/hyperv/runner';
import { requirePwsh } from './helpers';

/** Waits until a pid no longer exists (fails after 5 s). */
async function waitGone(pid: number): Promise<void> {
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const t0 = Date.now();
  while (alive()) {
    if (Date.now() - t0 > 5000) assert.fail(`PowerShell process ${pid} still runs after the kill`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('PowerShell runner (real pwsh)', function () {
  this.timeout(120_000);
  let pwsh: string;
  let runner: PowerShellRunner;
  const logs: string[] = [];

  before(function () {
    pwsh = requirePwsh(this);
    runner = new PowerShellRunner({ pwshPath: pwsh, timeoutMs: 60_000, host: 'local', log: (l) => logs.push(l) });
  });
  after(async () => {
    await runner?.dispose();
  });

  it('starts pwsh with -NoLogo -NoProfile -NonInteractive, once, on first use', async () => {
    assert.equal(runner.starts, 0, 'no process before the first call');
    const r = await runner.run('[Environment]::GetCommandLineArgs() | ForEach-Object { [string]$_ }', {});
    const args = r.outputs.map((a) => a.toLowerCase());
    for (const flag of ['-nologo', '-noprofile', '-noninteractive']) assert.ok(args.includes(flag), `${flag} in ${args.join(' ')}`);
    // Non-interactive: a prompt fails at once instead of waiting for a user who is not there.
    const p = await runner.run('try { Read-Host "x" ; "answered" } catch { "refused: " + $_.FullyQualifiedErrorId }', {});
    assert.match(p.outputs[0], /^refused: /);
    assert.equal(runner.starts, 1);
  });

  it('sends every script as one line of base64 tokens, and multi-line scripts run intact', async () => {
    const script = [
      '# a comment line',
      '$x = @"',
      'here-string line 1',
      "  line 2 with 'quotes' and `$dollar and backtick``",
      '"@',
      'function F {',
      '  param($a)',
      '  $a +',
      '    1',
      '}',
      '',
      'if ($true)',
      '{',
      '  "if-body"',
      '}',
      '$x',
      'F 41',
    ].join('\n');
    const line = invokeLine('GPUPabc', script, { n: 'a\nb' });
    assert.ok(!/[\r\n]/.test(line), 'one line');
    assert.match(line, /^__GpupInvoke 'GPUPabc' '[A-Za-z0-9+/=]+' '[A-Za-z0-9+/=]+'$/);
    const r = await runner.run(script, {});
    assert.deepEqual(r.outputs, ['if-body', "here-string line 1\n  line 2 with 'quotes' and $dollar and backtick`", '42']);
  });

  it('UTF-8 both ways: Japanese and emoji round-trip through parameters, script text and output', async () => {
    const names = ['日本語の仮想マシン', 'GPU 🎮🚀', 'Ünïcödé – “quotes”', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'a\u0000b'.replace('\u0000', '')];
    const r = await runner.run('$Params.names | ForEach-Object { $_ }; "リテラル ✓"', { names });
    assert.deepEqual(r.outputs, [...names, 'リテラル ✓']);
  });

  it('warnings, verbose, debug, information and progress come back as typed records, in order, never as results', async () => {
    const r = await runner.run(
      [
        'Write-Warning "w1"',
        '"out1"',
        'Write-Verbose "v1" -Verbose',
        'Write-Debug "d1" -Debug',
        'Write-Information "i1"',
        'Write-Host "h1"',
        'Write-Progress -Activity "act" -Status "st"',
        '"out2"',
      ].join('\n'),
      {},
    );
    assert.deepEqual(r.outputs, ['out1', 'out2']);
    assert.deepEqual(
      r.records.map((x) => [x.stream, x.message]),
      [
        ['warning', 'w1'],
        ['verbose', 'v1'],
        ['debug', 'd1'],
        ['information', 'i1'],
        ['information', 'h1'],
        ['progress', 'act: st'],
      ],
    );
    for (const x of r.records) {
      assert.equal(x.host, 'local');
      assert.ok(!Number.isNaN(Date.parse(x.time)), 'ISO time');
    }
  });

  it('a non-terminating error does not destroy the result', async () => {
    const r = await runner.run('Write-Error "first failure"; Get-Item -LiteralPath "/no/such/path/x"; ConvertTo-Json -InputObject @{ ok = $true; records = @(1); errors = @() } -Compress', {});
    assert.equal(r.errors.length, 2);
    assert.equal(r.errors[0].message, 'first failure');
    assert.equal(r.errors[1].category, 'ObjectNotFound');
    assert.match(r.errors[1].fullyQualifiedErrorId ?? '', /PathNotFound/);
    assert.deepEqual(readEnvelope(r, 't.ps1').records, [1]);
  });

  it('stray stderr (console and native) and stray stdout leave the result intact', async () => {
    const r = await runner.run(
      '[Console]::Error.WriteLine("stray stderr"); [Console]::Out.WriteLine("stray stdout"); & sh -c "echo native-err 1>&2"; ConvertTo-Json -InputObject @{ ok = $true; records = @("x") } -Compress',
      {},
    );
    assert.deepEqual(readEnvelope(r, 't.ps1').records, ['x']);
    assert.ok(r.stray.includes('stray stdout'));
    const warnings = r.records.filter((x) => x.stream === 'warning').map((x) => x.message);
    assert.ok(warnings.includes('stderr: stray stderr'), warnings.join('|'));
    // Native stderr inside the pipeline comes back as an error record (pwsh 7.2+), not as a failure.
    assert.ok(
      r.errors.some((e) => e.message === 'native-err') || warnings.includes('stderr: native-err'),
      JSON.stringify(r.records),
    );
  });

  it('malformed JSON from a script is a clear error naming the script', async () => {
    const r = await runner.run('"{""ok"": tru"', {});
    assert.throws(() => readEnvelope(r, 'inventory.ps1'), (e: unknown) => e instanceof PowerShellError && e.kind === 'malformed' && /inventory\.ps1 printed malformed JSON/.test(e.message));
    const none = await runner.run('$null', {});
    assert.throws(() => readEnvelope(none, 'assign.ps1'), /assign\.ps1 printed no JSON result/);
    const wrong = await runner.run('"[1,2]"', {});
    assert.throws(() => readEnvelope(wrong, 'x.ps1'), /not a result envelope/);
  });

  it('a terminating error is reported with its category and id; the process lives on', async () => {
    const pid = runner.pid;
    const r = await runner.run('throw [System.InvalidOperationException]::new("boom")', {});
    assert.equal(r.fatal?.message, 'boom');
    assert.throws(() => readEnvelope(r, 'x.ps1'), /x\.ps1 failed: boom/);
    assert.equal((await runner.run('"after"', {})).outputs[0], 'after');
    assert.equal(runner.pid, pid);
  });

  it('each stream record reaches the sink as it happens, not at the end', async () => {
    const seen: { rec: OutputRecord; at: number }[] = [];
    const t0 = Date.now();
    const p = runner.run(
      'foreach ($i in 1..3) { Write-Information -MessageData @{ host = "h$i"; target = "vm$i"; step = "stop-vm"; message = "step $i" } -Tags gpup; Start-Sleep -Milliseconds 400 }; "done"',
      {},
      { sink: (rec) => seen.push({ rec, at: Date.now() }) },
    );
    const r = await p;
    const end = Date.now();
    assert.deepEqual(
      seen.map((s) => [s.rec.stream, s.rec.host, s.rec.target, s.rec.step, s.rec.message]),
      [1, 2, 3].map((i) => ['step', `h${i}`, `vm${i}`, 'stop-vm', `step ${i}`]),
    );
    // The first record arrived at least ~800 ms before the call resolved (two sleeps after it).
    assert.ok(end - seen[0].at >= 700, `first record ${seen[0].at - t0} ms, end ${end - t0} ms`);
    assert.ok(seen[0].at < seen[1].at && seen[1].at < seen[2].at);
    assert.deepEqual(r.outputs, ['done']);
  });

  it('calls to one process are serialised (a queue), in order', async () => {
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => runner.run('$s = [DateTime]::UtcNow.Ticks; Start-Sleep -Milliseconds 60; $e = [DateTime]::UtcNow.Ticks; "$($Params.i) $s $e"', { i })),
    );
    const spans = results.map((r) => r.outputs[0].split(' ').map(Number));
    assert.deepEqual(
      spans.map((s) => s[0]),
      [0, 1, 2, 3, 4],
    );
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i][1] >= spans[i - 1][2], 'no overlap');
  });

  it('credentials are data: never echoed to the sink, the log, or node-powershell history', async () => {
    const secret = 'P@ss w0rd $(x) `"\'日本';
    const r = await runner.run(
      '$c = $Params.credential; $sec = New-Object System.Security.SecureString; $c.password.ToCharArray() | ForEach-Object { $sec.AppendChar($_) }; $cred = New-Object System.Management.Automation.PSCredential($c.userName, $sec); Write-Warning ("leak attempt: " + $c.password); $cred.GetNetworkCredential().Password.Length',
      { credential: { userName: 'CONTOSO\\admin', password: secret } },
      { name: 'cred.ps1' },
    );
    assert.equal(r.outputs[0], String(secret.length));
    assert.equal(r.records[0].message, 'leak attempt: ***');
    const all = JSON.stringify(r.records) + logs.join('\n');
    assert.ok(!all.includes(secret));
    assert.ok(!all.includes(Buffer.from(secret).toString('base64')));
    const ps = (runner as unknown as { proc: { ps: { history: unknown[] } } }).proc.ps;
    assert.equal(ps.history.length, 0);
  });

  it('a timeout kills the process, names the step, and the next call starts a fresh one', async () => {
    const before = runner.pid;
    const t0 = Date.now();
    await assert.rejects(
      runner.run('Write-Information -MessageData @{ host = "AZL-N01"; target = "cad-ws-02"; step = "stop-vm"; message = "Stopping" } -Tags gpup; Start-Sleep -Seconds 60', {}, { name: 'assign.ps1', timeoutMs: 1500 }),
      (e: unknown) =>
        e instanceof PowerShellError && e.kind === 'timeout' && /assign\.ps1 timed out after 1500 ms during step "stop-vm" on AZL-N01\/cad-ws-02/.test(e.message) && e.details.step === 'stop-vm',
    );
    assert.ok(Date.now() - t0 < 10_000);
    // PowerShell itself is gone, not only a launcher in front of it (the dotnet-tool pwsh runs
    // `dotnet pwsh.dll` as a child): a survivor would carry on with the script after the kill.
    await waitGone(before as number);
    const r = await runner.run('$PID', {});
    assert.notEqual(Number(r.outputs[0]), before);
    assert.equal(runner.pid, Number(r.outputs[0]));
  });

  it('cancellation (AbortSignal) stops the call at once and the next call works', async () => {
    const ac = new AbortController();
    const before = runner.pid;
    const t0 = Date.now();
    const p = runner.run('Write-Information "started"; Start-Sleep -Seconds 60; "never"', {}, { signal: ac.signal, sink: () => ac.abort() });
    await assert.rejects(p, (e: unknown) => e instanceof CancelledError);
    assert.ok(Date.now() - t0 < 10_000);
    const r = await runner.run('"again"', {});
    assert.deepEqual(r.outputs, ['again']);
    assert.notEqual(runner.pid, before);
    // Already aborted: nothing runs.
    await assert.rejects(runner.run('"x"', {}, { signal: AbortSignal.abort() }), CancelledError);
  });

  it('cooperative cancel and timeout (cancelGraceMs): the script sees the cancel file, stops by itself, the process lives on', async () => {
    // A script that polls the token between "steps", as assign/unassign/set-count do (_common.ps1).
    const script = 'foreach ($i in 1..100) { if (Test-Path -LiteralPath $Params.cancelFile) { "stopped:" + (Get-Content -LiteralPath $Params.cancelFile -Raw); return }; Write-Information -MessageData @{ host = "h"; target = "vm"; step = "stop-vm"; message = "step $i" } -Tags gpup; Start-Sleep -Milliseconds 200 }; "ran to the end"';
    const pid = (await runner.run('$PID', {})).outputs[0];
    const ac = new AbortController();
    const r = await runner.run(script, {}, { signal: ac.signal, cancelGraceMs: 10_000, sink: (rec) => rec.stream === 'step' && ac.abort() });
    assert.deepEqual(r.outputs, ['stopped:cancel']);
    assert.equal(r.interrupted, 'cancel');
    assert.equal(r.interruption?.step, 'stop-vm');
    assert.ok(r.records.some((x) => x.stream === 'warning' && /cancelled during step "stop-vm" on h\/vm; asking it to stop and roll back/.test(x.message)));
    const t = await runner.run(script, {}, { timeoutMs: 1500, cancelGraceMs: 10_000 });
    assert.deepEqual(t.outputs, ['stopped:timeout']);
    assert.equal(t.interrupted, 'timeout');
    assert.equal((await runner.run('$PID', {})).outputs[0], pid, 'no kill, same process');
    // A script that does not look: killed when the grace period ends, with a clear error.
    const ac2 = new AbortController();
    await assert.rejects(
      runner.run('Write-Information "busy"; Start-Sleep -Seconds 60', {}, { signal: ac2.signal, cancelGraceMs: 500, sink: () => ac2.abort() }),
      (e: unknown) => e instanceof CancelledError && /did not stop within 500 ms of being asked; the PowerShell process was stopped/.test(e.message),
    );
    await waitGone(Number(pid));
  });

  it('pwsh killed mid-call: a clear error, and the next call works', async () => {
    let killed = 0;
    const p = runner.run('Write-Information -MessageData @{ host = "AZL-N02"; target = "vm-a"; step = "add-adapter"; message = "Adding" } -Tags gpup; Start-Sleep -Seconds 60', {}, {
      name: 'assign.ps1',
      sink: () => {
        killed = runner.pid ?? 0;
        process.kill(killed, 'SIGKILL');
      },
    });
    await assert.rejects(p, (e: unknown) => e instanceof PowerShellError && e.kind === 'crashed' && /The PowerShell process \(pid \d+\) .* while running assign\.ps1 during step "add-adapter".*next call starts a fresh process/.test(e.message));
    const r = await runner.run('$PID', {});
    assert.notEqual(Number(r.outputs[0]), killed);
  });

  it('a process that dies between calls (or exits from a script) is replaced on the next call', async () => {
    const pid = runner.pid as number;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    const r = await runner.run('$PID', {});
    assert.notEqual(Number(r.outputs[0]), pid);
    await assert.rejects(runner.run('exit 3', {}, { name: 'exit.ps1' }), (e: unknown) => e instanceof PowerShellError && e.kind === 'crashed' && /exit\.ps1/.test(e.message));
    assert.deepEqual((await runner.run('"alive"', {})).outputs, ['alive']);
  });

  it('ignores NODE_POWERSHELL (node-powershell would run that executable instead)', async () => {
    process.env.NODE_POWERSHELL = '/bin/false';
    const other = new PowerShellRunner({ pwshPath: pwsh });
    try {
      const r = await other.run('$PSVersionTable.PSEdition', {});
      assert.deepEqual(r.outputs, ['Core']);
    } finally {
      delete process.env.NODE_POWERSHELL;
      await other.dispose();
    }
  });

  it('a missing PowerShell is a clear error', async () => {
    const bad = new PowerShellRunner({ pwshPath: '/no/such/dir/pwsh' });
    await assert.rejects(bad.run('1', {}), /PowerShell was not found at "\/no\/such\/dir\/pwsh"/);
  });
});
