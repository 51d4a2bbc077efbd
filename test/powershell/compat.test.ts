/**
 * What runs on hosts must run on Windows PowerShell 5.1 as well as 7: the scripts, the shared
 * helpers and the runner's bootstrap contain no PowerShell-7-only syntax. Checked on the real
 * PowerShell parser's AST (pwsh 7 parses both dialects; 5.1 would reject these nodes).
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { BOOTSTRAP_PS } from '../../src/hyperv/bootstrap';
import { PowerShellRunner } from '../../src/hyperv/runner';
import { SCRIPTS_DIR, requirePwsh } from './helpers';

const CHECK = String.raw`
$found = New-Object System.Collections.Generic.List[string]
foreach ($item in $Params.items) {
  $tokens = $null; $errs = $null
  $ast = [System.Management.Automation.Language.Parser]::ParseInput([string]$item.text, [ref]$tokens, [ref]$errs)
  foreach ($e in $errs) { $found.Add("$($item.name): parse error: $($e.Message)") }
  $nodes = $ast.FindAll({ param($n) $true }, $true)
  foreach ($n in $nodes) {
    $t = $n.GetType().Name
    $why = $null
    if ($t -eq 'TernaryExpressionAst') { $why = 'ternary ?: (7.0+)' }
    elseif ($t -eq 'PipelineChainAst') { $why = 'pipeline chain && / || (7.0+)' }
    elseif ($t -eq 'BinaryExpressionAst' -and [string]$n.Operator -eq 'QuestionQuestion') { $why = 'null-coalescing ?? (7.0+)' }
    elseif ($t -eq 'AssignmentStatementAst' -and [string]$n.Operator -eq 'QuestionQuestionEquals') { $why = 'null-coalescing assignment ??= (7.0+)' }
    elseif (($t -eq 'MemberExpressionAst' -or $t -eq 'InvokeMemberExpressionAst' -or $t -eq 'IndexExpressionAst') -and $n.NullConditional) { $why = 'null-conditional ?. / ?[] (7.1+)' }
    elseif ($t -eq 'NamedBlockAst' -and [string]$n.BlockKind -eq 'Clean') { $why = 'clean block (7.3+)' }
    elseif ($t -eq 'CommandAst') {
      $name = $n.GetCommandName()
      if ($name -in @('ForEach-Object', '%', 'foreach') -and ($n.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] -and $_.ParameterName -like 'Parallel*' })) { $why = 'ForEach-Object -Parallel (7.0+)' }
      if ($name -in @('Get-Error', 'Test-Json', 'ConvertFrom-Markdown', 'Get-Uptime', 'Remove-Alias', 'Join-String')) { $why = "cmdlet $name (6.0+)" }
    }
    if ($why) { $found.Add("$($item.name) line $($n.Extent.StartLineNumber): $why") }
  }
}
ConvertTo-Json -InputObject @{ ok = $true; records = [string[]]$found.ToArray(); errors = @() } -Compress
`;

describe('Windows PowerShell 5.1 compatibility of what runs on hosts', function () {
  this.timeout(120_000);
  let runner: PowerShellRunner;

  before(function () {
    runner = new PowerShellRunner({ pwshPath: requirePwsh(this) });
  });
  after(async () => {
    await runner?.dispose();
  });

  it('the detector finds 7-only syntax (so the check below can fail)', async () => {
    const bad = '$a = $b ? 1 : 2\n$c = $d ?? 3\nls && ls\n${e}?.F\n1..3 | ForEach-Object -Parallel { $_ }';
    const r = await runner.run(CHECK, { items: [{ name: 'bad.ps1', text: bad }] });
    const found = (JSON.parse(r.outputs[r.outputs.length - 1]) as { records: string[] }).records;
    for (const why of ['ternary', 'null-coalescing ??', 'pipeline chain', 'null-conditional', 'ForEach-Object -Parallel']) {
      assert.ok(found.some((f) => f.includes(why)), `${why} in ${found.join(' | ')}`);
    }
  });

  it('no 7-only syntax in src/hyperv/scripts/*.ps1 or the bootstrap', async () => {
    const { readFileSync } = await import('node:fs');
    const items = readdirSync(SCRIPTS_DIR)
      .filter((f) => f.endsWith('.ps1'))
      .map((f) => ({ name: f, text: readFileSync(path.join(SCRIPTS_DIR, f), 'utf8') }));
    assert.ok(items.length >= 5, items.map((i) => i.name).join(', '));
    items.push({ name: 'bootstrap', text: BOOTSTRAP_PS });
    const r = await runner.run(CHECK, { items });
    const found = (JSON.parse(r.outputs[r.outputs.length - 1]) as { records: string[] }).records;
    assert.deepEqual(found, []);
  });
});
