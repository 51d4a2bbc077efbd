/**
 * The PowerShell side of the runner's wire protocol. Pure strings and codecs: no I/O.
 *
 * Why this shape (style.md, "PowerShell from Node: lessons from real bugs"):
 * - node-powershell feeds `-Command -`, which pwsh reads line by line; a multi-line script can
 *   misparse. So every line we send is ONE line made of a fixed command name and base64 tokens
 *   (`[A-Za-z0-9+/=]` only): nothing a user or host supplies is ever PowerShell text.
 * - The bootstrap (defined once per process) decodes the script and its one JSON parameter object,
 *   runs the script with every stream merged (`*>&1`) and writes each record as a framed line
 *   `<boundary> <kind> <base64 UTF-8 JSON>`, with a random boundary per call. Base64 frames make
 *   the console code page irrelevant (UTF-8 both ways) and let stray stdout text (a native tool,
 *   `[Console]::WriteLine`) pass by without being mistaken for a result.
 * - Warnings, verbose, debug, information and progress arrive as typed frames, never mixed into
 *   output; a non-terminating error is an `error` frame and the script carries on.
 * Runs on Windows PowerShell 5.1 and PowerShell 7: no 7-only syntax here.
 */

/** Frame kinds the bootstrap writes. */
export type FrameKind = 'ready' | 'output' | 'error' | 'warning' | 'verbose' | 'debug' | 'information' | 'progress' | 'fatal' | 'end';

export const BOOTSTRAP_PS = String.raw`
$ErrorActionPreference = 'Continue'
$ProgressPreference = 'SilentlyContinue'
$ConfirmPreference = 'None'
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }
$global:OutputEncoding = New-Object System.Text.UTF8Encoding $false
if ($PSVersionTable.PSVersion.Major -ge 7 -and (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue)) { $PSStyle.OutputRendering = 'PlainText' }
$global:__GpupBoundary = $null
$global:__GpupJsonDateKind = (Get-Command ConvertFrom-Json).Parameters.ContainsKey('DateKind')

function global:__GpupFrame([string]$Kind, $Data) {
  $json = ConvertTo-Json -InputObject $Data -Depth 8 -Compress
  $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes([string]$json))
  [Console]::Out.WriteLine($global:__GpupBoundary + ' ' + $Kind + ' ' + $b64)
  [Console]::Out.Flush()
}

function global:__GpupNow { [DateTime]::UtcNow.ToString('o') }

function global:__GpupErrorData($e) {
  $inv = $null
  if ($e.InvocationInfo -and $e.InvocationInfo.MyCommand) { $inv = [string]$e.InvocationInfo.MyCommand.Name }
  $msg = $null
  if ($e.Exception) { $msg = [string]$e.Exception.Message }
  if ($e.ErrorDetails -and $e.ErrorDetails.Message) { $msg = [string]$e.ErrorDetails.Message }
  $target = $null
  if ($null -ne $e.TargetObject) { $target = [string]$e.TargetObject }
  @{ t = (__GpupNow); message = $msg; category = [string]$e.CategoryInfo.Category; fullyQualifiedErrorId = [string]$e.FullyQualifiedErrorId; command = $inv; targetObject = $target; stack = [string]$e.ScriptStackTrace }
}

function global:__GpupRecord($r) {
  if ($null -eq $r) { return }
  if ($r -is [System.Management.Automation.ErrorRecord]) { __GpupFrame 'error' (__GpupErrorData $r); return }
  if ($r -is [System.Management.Automation.WarningRecord]) { __GpupFrame 'warning' @{ t = (__GpupNow); message = [string]$r.Message }; return }
  if ($r -is [System.Management.Automation.VerboseRecord]) { __GpupFrame 'verbose' @{ t = (__GpupNow); message = [string]$r.Message }; return }
  if ($r -is [System.Management.Automation.DebugRecord]) { __GpupFrame 'debug' @{ t = (__GpupNow); message = [string]$r.Message }; return }
  if ($r -is [System.Management.Automation.InformationRecord]) {
    $t = $r.TimeGenerated.ToUniversalTime().ToString('o')
    $tags = @($r.Tags)
    $kind = 'information'
    if ($tags -contains 'gpup.progress') { $kind = 'progress' }
    $d = $r.MessageData
    if ($d -is [System.Management.Automation.HostInformationMessage]) { $d = [string]$d.Message }
    if ($d -is [string] -or $d -is [ValueType]) { __GpupFrame $kind @{ t = $t; tags = $tags; message = [string]$d }; return }
    __GpupFrame $kind @{ t = $t; tags = $tags; data = $d }
    return
  }
  if ($r -is [string]) { __GpupFrame 'output' @{ t = (__GpupNow); text = $r }; return }
  __GpupFrame 'output' @{ t = (__GpupNow); json = (ConvertTo-Json -InputObject $r -Depth 6 -Compress) }
}

function global:__GpupFromBase64([string]$s) { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($s)) }

# Write-Progress from a script becomes a typed progress record in order with the others; compiled
# cmdlets' own progress is dropped ($ProgressPreference) because it cannot be redirected.
function global:Write-Progress {
  param([Parameter(Position = 0)][string]$Activity, [Parameter(Position = 1)][string]$Status, [int]$Id, [int]$PercentComplete = -1, [string]$CurrentOperation, [int]$ParentId, [switch]$Completed, [int]$SecondsRemaining, [int]$SourceId)
  Write-Information -MessageData @{ activity = $Activity; status = $Status; percentComplete = $PercentComplete; currentOperation = $CurrentOperation; completed = [bool]$Completed } -Tags 'gpup.progress'
}

function global:__GpupInvoke([string]$Boundary, [string]$Script64, [string]$Params64) {
  $global:__GpupBoundary = $Boundary
  $started = [DateTime]::UtcNow
  try {
    $text = __GpupFromBase64 $Script64
    $ptext = __GpupFromBase64 $Params64
    if ($global:__GpupJsonDateKind) { $p = ConvertFrom-Json -InputObject $ptext -DateKind String } else { $p = ConvertFrom-Json -InputObject $ptext }
    $sb = [ScriptBlock]::Create($text)
  } catch {
    __GpupFrame 'fatal' (__GpupErrorData $_)
    __GpupFrame 'end' @{ t = (__GpupNow); ms = ([DateTime]::UtcNow - $started).TotalMilliseconds }
    return
  }
  try {
    & { param($__GpupScript, $Params) $InformationPreference = 'Continue'; . $__GpupScript } $sb $p *>&1 | ForEach-Object { __GpupRecord $_ }
  } catch {
    __GpupFrame 'fatal' (__GpupErrorData $_)
  }
  __GpupFrame 'end' @{ t = (__GpupNow); ms = ([DateTime]::UtcNow - $started).TotalMilliseconds }
  $global:__GpupBoundary = $null
}

function global:__GpupInit([string]$Boundary, [string]$Modules64) {
  $global:__GpupBoundary = $Boundary
  $errs = @()
  $mods = @(ConvertFrom-Json -InputObject (__GpupFromBase64 $Modules64))
  foreach ($m in $mods) {
    if (-not $m) { continue }
    try { Import-Module -Name ([string]$m) -Global -DisableNameChecking -ErrorAction Stop } catch { $errs += [string]$_.Exception.Message }
  }
  __GpupFrame 'ready' @{ t = (__GpupNow); pid = $PID; psVersion = $PSVersionTable.PSVersion.ToString(); edition = [string]$PSVersionTable.PSEdition; importErrors = $errs }
  __GpupFrame 'end' @{ t = (__GpupNow); ms = 0 }
  $global:__GpupBoundary = $null
}
`;

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The one line that defines the bootstrap in a fresh process (nothing but base64 inside quotes). */
export function bootstrapLine(): string {
  return `. ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${toBase64(BOOTSTRAP_PS)}'))))`;
}

/** Boundary tokens are alphanumeric: safe inside single quotes and unguessable by a script. */
export function isSafeToken(s: string): boolean {
  return /^[A-Za-z0-9+/=]*$/.test(s);
}

/** The one line that imports modules and reports the process identity. */
export function initLine(boundary: string, modules: readonly string[]): string {
  const m = toBase64(JSON.stringify(modules));
  assertTokens(boundary, m);
  return `__GpupInit '${boundary}' '${m}'`;
}

/** The one line that runs a script with its parameter object. */
export function invokeLine(boundary: string, scriptText: string, params: unknown): string {
  const s = toBase64(scriptText);
  const p = toBase64(JSON.stringify(params ?? {}));
  assertTokens(boundary, s, p);
  return `__GpupInvoke '${boundary}' '${s}' '${p}'`;
}

function assertTokens(...tokens: string[]): void {
  for (const t of tokens) {
    if (!isSafeToken(t)) {
      // Unreachable with base64 and our boundaries; a guard so a future change cannot splice text.
      throw new Error('internal: a runner token is not base64');
    }
  }
}

export interface Frame {
  kind: FrameKind;
  data: Record<string, unknown>;
}

/**
 * Parses one stdout line: a frame when it starts with this call's boundary, otherwise undefined
 * (stray text). A frame whose payload does not decode is reported as a `malformed` error.
 */
export function parseFrame(line: string, boundary: string): Frame | { malformed: string } | undefined {
  if (!line.startsWith(boundary + ' ')) {
    return undefined;
  }
  const rest = line.slice(boundary.length + 1);
  const sp = rest.indexOf(' ');
  if (sp < 0) {
    return { malformed: line };
  }
  const kind = rest.slice(0, sp) as FrameKind;
  const payload = rest.slice(sp + 1).trim();
  try {
    const json = Buffer.from(payload, 'base64').toString('utf8');
    const data = json === '' ? {} : (JSON.parse(json) as unknown);
    return { kind, data: (data && typeof data === 'object' ? data : { value: data }) as Record<string, unknown> };
  } catch {
    return { malformed: line };
  }
}
