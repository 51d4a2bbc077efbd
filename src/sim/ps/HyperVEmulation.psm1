<#
 Hyper-V / FailoverClusters / PnpDevice / CIM emulation for the simulator.

 Functions are named like the real cmdlets, with their parameter sets and types (domain doc §1),
 and print objects shaped like the real ones (property order of §1.1 and §1.4). They implement no
 rule: each one calls one SimWorld method over the HTTP bridge (src/sim/server.ts), so the rules
 live once (architecture.md). The bridge URL and token come from GPUP_SIM_URL / GPUP_SIM_TOKEN,
 read once at import.

 Known differences from the real cmdlets (by necessity, not by choice):
 - CimSession objects are PSCustomObjects typed 'Microsoft.Management.Infrastructure.CimSession'
   (a real CimSession needs WinRM); parameters that take one are [PSTypeName(...)] objects.
 - FullyQualifiedErrorId: PowerShell appends the function name to an advanced function's error id,
   so the real id `ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVM` [COMMUNITY S38] reads
   `ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVM,Get-VM` here.
 - The exception type is a PowerShell class named VirtualizationException (no namespace; Add-Type of
   the real namespace costs ~7 s of compilation per process), so CategoryInfo prints the real
   `ObjectNotFound: (:) [Get-VM], VirtualizationException`.
#>
Set-StrictMode -Version 3.0

class VirtualizationException : System.Exception {
  VirtualizationException([string]$message) : base($message) {}
}
class ClusterCmdletException : System.Exception {
  ClusterCmdletException([string]$message) : base($message) {}
}

# The compiled views (HyperVEmulation.cs): compiled once per user and PowerShell version into a
# cache folder (GPUP_EMULATION_CACHE, else the user's local application data: never a shared temp
# folder, where another user could plant a DLL under the expected name), then loaded from there; a
# RunspacePool's runspaces find the types already loaded in the process.
if (-not ('Gpup.Emulation.Views' -as [type])) {
  $csPath = Join-Path $PSScriptRoot 'HyperVEmulation.cs'
  $csText = [IO.File]::ReadAllText($csPath)
  $sha = [Security.Cryptography.SHA256]::Create()
  $hash = -join ($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($csText + '|' + $PSVersionTable.PSVersion)) | Select-Object -First 8 | ForEach-Object { $_.ToString('x2') })
  $cacheDir = $env:GPUP_EMULATION_CACHE
  if (-not $cacheDir) {
    $appData = [Environment]::GetFolderPath('LocalApplicationData')
    if (-not $appData) { throw 'HyperVEmulation: no per-user folder to cache its compiled views in; set GPUP_EMULATION_CACHE.' }
    $cacheDir = Join-Path $appData 'azure-local-gpu-partitions/hyperv-emulation'
  }
  $dll = Join-Path $cacheDir "HyperVEmulation-$hash.dll"
  if (-not (Test-Path -LiteralPath $dll)) {
    $null = New-Item -ItemType Directory -Force -Path $cacheDir
    # Another process may compile at the same time: each writes its own file, the rename is atomic.
    # A failed compile leaves a broken file behind: it never gets the final name.
    $tmp = "$dll.$PID.tmp"
    try {
      if (Test-Path -LiteralPath $tmp) { Remove-Item -LiteralPath $tmp -Force }
      Add-Type -TypeDefinition $csText -OutputAssembly $tmp -OutputType Library -ErrorAction Stop -ReferencedAssemblies @(
        'System.Runtime', 'System.Collections', 'System.Threading', 'System.Text.Json', 'System.Memory', 'System.Text.Encodings.Web', [psobject].Assembly.Location)
      [IO.File]::Move($tmp, $dll, $true)
    } finally {
      if (Test-Path -LiteralPath $tmp) { Remove-Item -LiteralPath $tmp -Force -ErrorAction SilentlyContinue }
    }
  }
  Add-Type -Path $dll
}

$script:SimUrl = $env:GPUP_SIM_URL
$script:SimToken = $env:GPUP_SIM_TOKEN
$script:Http = $null
# The node a remote session (emulated Invoke-Command) runs on: cmdlets without -ComputerName target it,
# and every bridge request names it (`from`) so the bridge charges no network latency for a call to
# the host it comes from (issue 6: one round trip per node, not one per cmdlet).
$script:CurrentHost = $null
# What the current session knew of its node when it started (Gpup.Emulation.Snapshot), until its first write.
$script:Snap = $null
$script:SnapFacts = $null
$script:SnapSession = $null
$script:DateKind = (Get-Command ConvertFrom-Json).Parameters.ContainsKey('DateKind')
$script:ZeroGuid = '00000000-0000-0000-0000-000000000000'
$script:ResourceKeys = @(
  'MinPartitionVRAM', 'MaxPartitionVRAM', 'OptimalPartitionVRAM',
  'MinPartitionEncode', 'MaxPartitionEncode', 'OptimalPartitionEncode',
  'MinPartitionDecode', 'MaxPartitionDecode', 'OptimalPartitionDecode',
  'MinPartitionCompute', 'MaxPartitionCompute', 'OptimalPartitionCompute')

function Get-SimHttp {
  if ($null -eq $script:Http) {
    if (-not $script:SimUrl -or -not $script:SimToken) {
      throw 'HyperVEmulation: GPUP_SIM_URL and GPUP_SIM_TOKEN must be set before the module is imported.'
    }
    $h = [System.Net.Http.HttpClient]::new()
    # A 'hang' fault must hang like a dead host; the caller's timeout decides.
    $h.Timeout = [System.Threading.Timeout]::InfiniteTimeSpan
    $h.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $script:SimToken)
    $script:Http = $h
  }
  $script:Http
}

function ConvertFrom-SimJson([string]$Text) {
  if ($script:DateKind) { ConvertFrom-Json -InputObject $Text -DateKind String } else { ConvertFrom-Json -InputObject $Text }
}

# The answer's JSON text.
function Send-SimRequestText([string]$Path, $Body) {
  if ($script:CurrentHost) { $Body.from = $script:CurrentHost }
  $json = ConvertTo-Json -InputObject $Body -Depth 8 -Compress
  $content = [System.Net.Http.StringContent]::new($json, [System.Text.Encoding]::UTF8, 'application/json')
  $resp = (Get-SimHttp).PostAsync($script:SimUrl + $Path, $content).GetAwaiter().GetResult()
  $text = $resp.Content.ReadAsStringAsync().GetAwaiter().GetResult()
  if (-not $resp.IsSuccessStatusCode) { throw "HyperVEmulation: the simulator bridge answered HTTP $([int]$resp.StatusCode)." }
  $text
}

function Send-SimRequest([string]$Path, $Body) {
  ConvertFrom-SimJson (Send-SimRequestText $Path $Body)
}

# A write ends what the session knew of its node when it started (see Invoke-Command).
function Reset-SimSnapshotOnWrite([string]$Op) {
  if ($null -ne $script:Snap -and $Op -notmatch '^(get|enter|guest)') { $script:Snap = $null; $script:SnapFacts = $null; $script:SnapSession = $null }
}

# One SimWorld call. Returns @{ ok; result; error }.
function Invoke-SimOp([string]$Op, [object[]]$Arguments = @()) {
  Reset-SimSnapshotOnWrite $Op
  Send-SimRequest '/call' @{ op = $Op; args = @($Arguments) }
}

# The same as a Gpup.Emulation.SimAnswer (Ok, Result as JSON for the compiled views, Error).
function Invoke-SimOpAnswer([string]$Op, [object[]]$Arguments = @()) {
  Reset-SimSnapshotOnWrite $Op
  [Gpup.Emulation.SimAnswer]::Parse((Send-SimRequestText '/call' @{ op = $Op; args = @($Arguments) }))
}

# A batch's answers as Gpup.Emulation.SimAnswer[] (reads only).
function Invoke-SimBatchAnswers([object[]]$Calls) {
  [Gpup.Emulation.SimAnswer]::ParseBatch((Send-SimRequestText '/batch' @{ calls = @($Calls) }))
}

# Like Invoke-SimCmdlet, for the hot reads: the result stays JSON for the compiled views ($null on failure).
function Invoke-SimCmdletJson($Cmdlet, [string]$Op, [object[]]$Arguments = @(), [string]$Target = $null, [string]$ExceptionKind = 'Hyper-V') {
  $a = Invoke-SimOpAnswer $Op $Arguments
  if ($a.Ok) { return , $a.Result }
  $Cmdlet.WriteError((New-SimErrorRecord $a.Error $Target $ExceptionKind))
  return $null
}

# The snapshot of the session's node when it holds `section` and the cmdlet targets that node.
function Get-SimSnapshot([string]$Section, [string]$HostName = $null) {
  $s = $script:Snap
  if ($null -eq $s -or -not $s.Has($Section)) { return $null }
  if ($HostName -and $HostName -ne $s.Host) { return $null }
  $s
}

# The host facts of the snapshot as the PowerShell object Invoke-SimCmdlet would return (read once per session).
function Get-SimSnapshotFacts([string]$HostName) {
  if ($null -ne $script:SnapFacts -and $script:SnapFacts.host -eq $HostName) { return $script:SnapFacts.facts }
  $s = Get-SimSnapshot 'hostFacts' $HostName
  if ($null -eq $s) { return $null }
  $f = ConvertFrom-SimJson $s.SectionJson('hostFacts')
  $script:SnapFacts = @{ host = $HostName; facts = $f }
  $f
}

# A simulator object handed over as a PowerShell object (the rare Passthru results) -> the JSON the compiled views read.
function ConvertTo-SimJsonElement($Object) {
  [Gpup.Emulation.Views]::Parse((ConvertTo-Json -InputObject $Object -Depth 8 -Compress))
}

function New-SimErrorRecord($SimErr, [string]$Target, [string]$ExceptionKind = 'Hyper-V') {
  $ex = if ($ExceptionKind -eq 'Cluster') { [ClusterCmdletException]::new([string]$SimErr.message) } else { [VirtualizationException]::new([string]$SimErr.message) }
  $cat = [System.Management.Automation.ErrorCategory]::NotSpecified
  [void][Enum]::TryParse([System.Management.Automation.ErrorCategory], [string]$SimErr.category, [ref]$cat)
  [System.Management.Automation.ErrorRecord]::new($ex, [string]$SimErr.fullyQualifiedErrorId, $cat, $Target)
}

# Calls the world; on failure writes a non-terminating error (as the real cmdlets do) and returns $null.
function Invoke-SimCmdlet($Cmdlet, [string]$Op, [object[]]$Arguments = @(), [string]$Target = $null, [string]$ExceptionKind = 'Hyper-V') {
  $a = Invoke-SimOp $Op $Arguments
  if ($a.ok) { return , $a.result }
  $Cmdlet.WriteError((New-SimErrorRecord $a.error $Target $ExceptionKind))
  return $null
}

# Not cached: the world behind the bridge may change (tests switch scenarios).
function Get-SimLocalHost {
  if ($script:CurrentHost) { return $script:CurrentHost }
  [string](Invoke-SimOp 'getLocalHost' @()).result
}

# -CimSession wins, then -ComputerName, then the local node (the first server).
function Resolve-SimHosts($ComputerName, $CimSession) {
  # In a session, a cmdlet without a target talks to the session's node (the common case, kept cheap).
  if (-not $CimSession -and -not $ComputerName -and $script:CurrentHost) { return , @($script:CurrentHost) }
  if ($CimSession) { return @($CimSession | ForEach-Object { [string]$_.ComputerName }) }
  if ($ComputerName) { return @($ComputerName | ForEach-Object { if ($_ -eq '.' -or $_ -eq 'localhost') { Get-SimLocalHost } else { [string]$_ } }) }
  @(Get-SimLocalHost)
}

function U64($v) { if ($null -eq $v -or $v -eq '') { $null } else { [UInt64]::Parse([string]$v, [Globalization.CultureInfo]::InvariantCulture) } }

function New-SimCimSessionObject([string]$Computer) {
  [pscustomobject]@{
    PSTypeName   = 'Microsoft.Management.Infrastructure.CimSession'
    Name         = 'CimSession' + [Math]::Abs($Computer.GetHashCode())
    InstanceId   = [guid]::NewGuid()
    ComputerName = $Computer
    Protocol     = 'WSMAN'
  }
}

# --- Views: objects shaped like the real ones -------------------------------------------------

# Views: objects shaped like the real ones, built by the compiled views (HyperVEmulation.cs) from
# the simulator's JSON (property order of §1.1 and §1.4, the real .NET types).
function ConvertTo-VMHostPartitionableGpu($g, $Session) { [Gpup.Emulation.Views]::Gpu((ConvertTo-SimJsonElement $g), $Session) }
function ConvertTo-VMGpuPartitionAdapter($a, $Session) { [Gpup.Emulation.Views]::Adapter((ConvertTo-SimJsonElement $a), $Session) }

function Get-SessionFor([string]$Computer, $CimSession) {
  if ($CimSession) { $s = @($CimSession | Where-Object { $_.ComputerName -eq $Computer }) ; if ($s.Count) { return $s[0] } }
  # One CimSession object per node for the length of a session (a real session reuses its connection).
  if ($null -ne $script:Snap -and $Computer -eq $script:Snap.Host) {
    if ($null -eq $script:SnapSession) { $script:SnapSession = New-SimCimSessionObject $Computer }
    return $script:SnapSession
  }
  New-SimCimSessionObject $Computer
}

# --- Hyper-V: host partitionable GPUs (§1.1, §1.2) ----------------------------------------------

function Get-VMHostPartitionableGpu {
  [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
  [OutputType('Microsoft.HyperV.PowerShell.VMHostPartitionableGpu')]
  param(
    [Parameter(ParameterSetName = 'ComputerName', Position = 0)][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'ComputerName', Position = 1)][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'CimSession', Mandatory, Position = 0, ValueFromPipelineByPropertyName)][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [string]$Name
  )
  process {
    foreach ($h in (Resolve-SimHosts $ComputerName $CimSession)) {
      $snap = if ($PSBoundParameters.ContainsKey('Name')) { $null } else { Get-SimSnapshot 'gpus' $h }
      if ($null -ne $snap) { $snap.Gpus((Get-SessionFor $h $CimSession)); continue }
      $r = Invoke-SimCmdletJson $PSCmdlet 'getPartitionableGpus' @($h, $(if ($PSBoundParameters.ContainsKey('Name')) { $Name } else { $null })) $Name
      if ($null -ne $r) { [Gpup.Emulation.Views]::Gpus($r, (Get-SessionFor $h $CimSession)) }
    }
  }
}

function Set-VMHostPartitionableGpu {
  [CmdletBinding(DefaultParameterSetName = 'ComputerName')]
  [OutputType('Microsoft.HyperV.PowerShell.VMHostPartitionableGpu')]
  param(
    [Parameter(ParameterSetName = 'ComputerName', Position = 0)][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'ComputerName', Position = 1)][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'CimSession', Mandatory, Position = 0)][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [Parameter(ParameterSetName = 'Object', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VMHostPartitionableGpu[]]$HostPartitionableGpu,
    [Parameter(ParameterSetName = 'Name')][string]$Name,
    [switch]$Passthru,
    [UInt16]$PartitionCount
  )
  process {
    $targets = @()
    if ($PSCmdlet.ParameterSetName -eq 'Object') {
      $targets = @($HostPartitionableGpu | ForEach-Object { @{ host = [string]$_.ComputerName; name = [string]$_.Name } })
    } elseif ($PSCmdlet.ParameterSetName -eq 'Name') {
      $targets = @(@{ host = (Get-SimLocalHost); name = $Name })
    } else {
      foreach ($h in (Resolve-SimHosts $ComputerName $CimSession)) {
        $all = Invoke-SimCmdlet $PSCmdlet 'getPartitionableGpus' @($h, $null) $h
        $targets += @($all | Where-Object { $null -ne $_ } | ForEach-Object { @{ host = $h; name = [string]$_.name } })
      }
    }
    if (-not $PSBoundParameters.ContainsKey('PartitionCount')) { return }
    foreach ($t in $targets) {
      $r = Invoke-SimCmdlet $PSCmdlet 'setPartitionCount' @($t.host, $t.name, [int]$PartitionCount) $t.name
      if ($null -ne $r -and $Passthru) { ConvertTo-VMHostPartitionableGpu $r (New-SimCimSessionObject $t.host) }
    }
  }
}

# --- Hyper-V: VMs --------------------------------------------------------------------------------

function Get-VM {
  [CmdletBinding(DefaultParameterSetName = 'Name')]
  [OutputType('Microsoft.HyperV.PowerShell.VirtualMachine')]
  param(
    [Parameter(ParameterSetName = 'Name', Position = 0, ValueFromPipeline)][Alias('VMName')][string[]]$Name,
    [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'Name')][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'Name')][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession
  )
  process {
    foreach ($h in (Resolve-SimHosts $ComputerName $CimSession)) {
      $session = Get-SessionFor $h $CimSession
      if ($Name) {
        foreach ($n in $Name) {
          $r = Invoke-SimCmdletJson $PSCmdlet 'getVms' @($h, $n) $n
          if ($null -ne $r) { [Gpup.Emulation.Views]::Vms($r, $session) }
        }
      } else {
        $snap = Get-SimSnapshot 'vms' $h
        if ($null -ne $snap) { $snap.Vms($session); continue }
        $r = Invoke-SimCmdletJson $PSCmdlet 'getVms' @($h, $null) $h
        if ($null -ne $r) { [Gpup.Emulation.Views]::Vms($r, $session) }
      }
    }
  }
}

# Targets of a VMName/VMObject cmdlet: @{ host; vm }.
function Resolve-SimVmTargets($ParameterSetName, $VMName, $VM, $ComputerName, $CimSession) {
  if ($ParameterSetName -like '*Object*' -or $ParameterSetName -eq 'VM') {
    return @(foreach ($v in $VM) { @{ host = [string]$v.ComputerName; vm = [string]$v.Name } })
  }
  $out = @()
  foreach ($h in (Resolve-SimHosts $ComputerName $CimSession)) { foreach ($n in $VMName) { $out += @{ host = $h; vm = [string]$n } } }
  $out
}

function Start-VM {
  [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess, ConfirmImpact = 'Medium')]
  param(
    [Parameter(ParameterSetName = 'Name', Mandatory, Position = 0, ValueFromPipeline)][Alias('VMName')][string[]]$Name,
    [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'Name')][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'Name')][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
    [switch]$Passthru,
    [switch]$AsJob
  )
  process {
    foreach ($t in (Resolve-SimVmTargets $PSCmdlet.ParameterSetName $Name $VM $ComputerName $CimSession)) {
      if (-not $PSCmdlet.ShouldProcess($t.vm, 'Start-VM')) { continue }
      $a = Invoke-SimOp 'startVm' @($t.host, $t.vm)
      if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $t.vm)); continue }
      if ($Passthru) { Get-VM -Name $t.vm -ComputerName $t.host }
    }
  }
}

function Stop-VM {
  [CmdletBinding(DefaultParameterSetName = 'Name', SupportsShouldProcess, ConfirmImpact = 'Medium')]
  param(
    [Parameter(ParameterSetName = 'Name', Mandatory, Position = 0, ValueFromPipeline)][Alias('VMName')][string[]]$Name,
    [Parameter(ParameterSetName = 'Name')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'Name')][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'Name')][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
    [switch]$Save,
    [switch]$TurnOff,
    [switch]$Force,
    [switch]$Passthru,
    [switch]$AsJob
  )
  process {
    foreach ($t in (Resolve-SimVmTargets $PSCmdlet.ParameterSetName $Name $VM $ComputerName $CimSession)) {
      if (-not $PSCmdlet.ShouldProcess($t.vm, 'Stop-VM')) { continue }
      $a = Invoke-SimOp 'stopVm' @($t.host, $t.vm, @{ turnOff = [bool]$TurnOff; force = [bool]$Force })
      if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $t.vm)); continue }
      if ($Passthru) { Get-VM -Name $t.vm -ComputerName $t.host }
    }
  }
}

# --- Hyper-V: GPU partition adapters (§1.3 - §1.6) ---------------------------------------------

function Get-SimResourceValues($Bound) {
  $v = @{}
  foreach ($k in $script:ResourceKeys) { if ($Bound.ContainsKey($k)) { $v[$k.Substring(0, 1).ToLowerInvariant() + $k.Substring(1)] = ([UInt64]$Bound[$k]).ToString([Globalization.CultureInfo]::InvariantCulture) } }
  $v
}

function Add-VMGpuPartitionAdapter {
  [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess, ConfirmImpact = 'Medium')]
  [OutputType('Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter')]
  param(
    [Parameter(ParameterSetName = 'VMName')][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'VMName')][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'VMName', Mandatory, Position = 0, ValueFromPipeline)][string[]]$VMName,
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
    [switch]$Passthru,
    [string]$InstancePath,
    [UInt64]$MinPartitionVRAM, [UInt64]$MaxPartitionVRAM, [UInt64]$OptimalPartitionVRAM,
    [UInt64]$MinPartitionEncode, [UInt64]$MaxPartitionEncode, [UInt64]$OptimalPartitionEncode,
    [UInt64]$MinPartitionDecode, [UInt64]$MaxPartitionDecode, [UInt64]$OptimalPartitionDecode,
    [UInt64]$MinPartitionCompute, [UInt64]$MaxPartitionCompute, [UInt64]$OptimalPartitionCompute
  )
  process {
    $opts = Get-SimResourceValues $PSBoundParameters
    if ($PSBoundParameters.ContainsKey('InstancePath')) { $opts.instancePath = $InstancePath }
    foreach ($t in (Resolve-SimVmTargets $PSCmdlet.ParameterSetName $VMName $VM $ComputerName $CimSession)) {
      if (-not $PSCmdlet.ShouldProcess($t.vm, 'Add-VMGpuPartitionAdapter')) { continue }
      $r = Invoke-SimCmdlet $PSCmdlet 'addGpuPartitionAdapter' @($t.host, $t.vm, $opts) $t.vm
      if ($null -ne $r -and $Passthru) { ConvertTo-VMGpuPartitionAdapter $r (New-SimCimSessionObject $t.host) }
    }
  }
}

function Get-VMGpuPartitionAdapter {
  [CmdletBinding(DefaultParameterSetName = 'VMName')]
  [OutputType('Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter')]
  param(
    [Parameter(ParameterSetName = 'VMName')][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'VMName')][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'VMName', Mandatory, Position = 0, ValueFromPipeline)][string[]]$VMName,
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
    [string]$AdapterId
  )
  begin { $targets = New-Object System.Collections.Generic.List[object]; $vmObjects = New-Object System.Collections.Generic.List[object] }
  process {
    if ($VM) { $vmObjects.AddRange([object[]]$VM) }
    foreach ($t in (Resolve-SimVmTargets $PSCmdlet.ParameterSetName $VMName $VM $ComputerName $CimSession)) { $targets.Add($t) }
  }
  end {
    if ($targets.Count -eq 0) { return }
    $sessions = @{}
    $snap = $script:Snap
    if ($null -ne $snap -and $snap.Has('adapters') -and $PSCmdlet.ParameterSetName -eq 'VMObject') {
      # VM objects (from Get-VM: named as the simulator names them, so no -VMName matching rule is
      # involved) all on the session's node and in its snapshot: no bridge call at all.
      $all = $snap.AdaptersOfAll([Microsoft.HyperV.PowerShell.VirtualMachine[]]$vmObjects.ToArray(), (Get-SessionFor $snap.Host $CimSession))
      if ($null -ne $all) {
        foreach ($x in $all) { if (-not $PSBoundParameters.ContainsKey('AdapterId') -or $x.Id -eq $AdapterId) { $x } }
        return
      }
    }
    # One batch for every VM asked (one simulated round trip), answered in input order.
    $answers = Invoke-SimBatchAnswers @(foreach ($t in $targets) { @{ op = 'getGpuPartitionAdapters'; args = @($t.host, $t.vm) } })
    for ($i = 0; $i -lt $targets.Count; $i++) {
      $t = $targets[$i]; $a = $answers[$i]
      if (-not $a.Ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.Error $t.vm)); continue }
      if (-not $sessions.ContainsKey($t.host)) { $sessions[$t.host] = Get-SessionFor $t.host $CimSession }
      foreach ($x in [Gpup.Emulation.Views]::Adapters($a.Result, $sessions[$t.host])) {
        if ($PSBoundParameters.ContainsKey('AdapterId') -and $x.Id -ne $AdapterId) { continue }
        $x
      }
    }
  }
}

function Set-VMGpuPartitionAdapter {
  [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess, ConfirmImpact = 'Medium')]
  [OutputType('Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter')]
  param(
    [Parameter(ParameterSetName = 'VMName')][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'VMName')][System.Management.Automation.PSCredential[]]$Credential,
    [Parameter(ParameterSetName = 'VMName', Mandatory, Position = 0, ValueFromPipeline)][string[]]$VMName,
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
    [Parameter(ParameterSetName = 'Object', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter[]]$VMGpuPartitionAdapter,
    [switch]$Passthru,
    [Parameter(ParameterSetName = 'VMName')][Parameter(ParameterSetName = 'VMObject')][string]$AdapterId,
    [UInt64]$MinPartitionVRAM, [UInt64]$MaxPartitionVRAM, [UInt64]$OptimalPartitionVRAM,
    [UInt64]$MinPartitionEncode, [UInt64]$MaxPartitionEncode, [UInt64]$OptimalPartitionEncode,
    [UInt64]$MinPartitionDecode, [UInt64]$MaxPartitionDecode, [UInt64]$OptimalPartitionDecode,
    [UInt64]$MinPartitionCompute, [UInt64]$MaxPartitionCompute, [UInt64]$OptimalPartitionCompute
  )
  process {
    $values = Get-SimResourceValues $PSBoundParameters
    $targets = if ($PSCmdlet.ParameterSetName -eq 'Object') {
      @($VMGpuPartitionAdapter | ForEach-Object { @{ host = [string]$_.ComputerName; vm = [string]$_.VMName; id = [string]$_.Id } })
    } else {
      @(Resolve-SimVmTargets $PSCmdlet.ParameterSetName $VMName $VM $ComputerName $CimSession | ForEach-Object { $_.id = $(if ($PSBoundParameters.ContainsKey('AdapterId')) { $AdapterId } else { $null }); $_ })
    }
    foreach ($t in $targets) {
      if (-not $PSCmdlet.ShouldProcess($t.vm, 'Set-VMGpuPartitionAdapter')) { continue }
      $r = Invoke-SimCmdlet $PSCmdlet 'setGpuPartitionAdapter' @($t.host, $t.vm, $t.id, $values) $t.vm
      if ($null -ne $r -and $Passthru) { ConvertTo-VMGpuPartitionAdapter $r (New-SimCimSessionObject $t.host) }
    }
  }
}

function Remove-VMGpuPartitionAdapter {
  [CmdletBinding(DefaultParameterSetName = 'VMName', SupportsShouldProcess, ConfirmImpact = 'Medium')]
  [OutputType('Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter')]
  param(
    [Parameter(ParameterSetName = 'VMName')][PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [Parameter(ParameterSetName = 'VMName')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'VMName')][System.Management.Automation.PSCredential[]]$Credential,
    # §1.6: -VMName is not pipeline-enabled on Remove [S1].
    [Parameter(ParameterSetName = 'VMName', Mandatory, Position = 0)][string[]]$VMName,
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VirtualMachine[]]$VM,
    [Parameter(ParameterSetName = 'Object', Mandatory, Position = 0, ValueFromPipeline)][Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter[]]$VMGpuPartitionAdapter,
    [switch]$Passthru,
    [Parameter(ParameterSetName = 'VMName')][Parameter(ParameterSetName = 'VMObject')][string]$AdapterId
  )
  process {
    $targets = if ($PSCmdlet.ParameterSetName -eq 'Object') {
      @($VMGpuPartitionAdapter | ForEach-Object { @{ host = [string]$_.ComputerName; vm = [string]$_.VMName; id = [string]$_.Id } })
    } else {
      @(Resolve-SimVmTargets $PSCmdlet.ParameterSetName $VMName $VM $ComputerName $CimSession | ForEach-Object { $_.id = $(if ($PSBoundParameters.ContainsKey('AdapterId')) { $AdapterId } else { $null }); $_ })
    }
    foreach ($t in $targets) {
      if (-not $PSCmdlet.ShouldProcess($t.vm, 'Remove-VMGpuPartitionAdapter')) { continue }
      $r = Invoke-SimCmdlet $PSCmdlet 'removeGpuPartitionAdapter' @($t.host, $t.vm, $t.id) $t.vm
      if ($null -ne $r -and $Passthru) { foreach ($a in @($r)) { ConvertTo-VMGpuPartitionAdapter $a (New-SimCimSessionObject $t.host) } }
    }
  }
}

# --- FailoverClusters (§1.9) ---------------------------------------------------------------------

function Get-ClusterNode {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string[]]$Name,
    [Parameter(ValueFromPipeline)][psobject]$InputObject,
    [string]$Cluster
  )
  process {
    $snap = if ($Cluster) { $null } else { Get-SimSnapshot 'clusterNodes' }
    if ($null -ne $snap -and $snap.Has('clusterName')) {
      $r = @(ConvertFrom-SimJson $snap.SectionJson('clusterNodes'))
      $cn = $snap.ClusterName
    } else {
      $r = Invoke-SimCmdlet $PSCmdlet 'getClusterNodes' @($(if ($Cluster) { $Cluster } else { $null })) $Cluster 'Cluster'
      if ($null -eq $r) { return }
      $cn = (Invoke-SimOp 'getClusterName' @()).result
    }
    foreach ($n in @($r)) {
      if ($Name -and -not ($Name | Where-Object { $_ -eq $n.name })) { continue }
      $o = [pscustomobject][ordered]@{ Name = [string]$n.name; State = [string]$n.state; Cluster = [string]$cn; Id = [string]([Array]::IndexOf(@($r), $n) + 1) }
      $o.PSObject.TypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterNode')
      $o
    }
  }
}

function Get-ClusterResource {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string[]]$Name,
    [Parameter(ValueFromPipeline)][psobject]$InputObject,
    [string]$Cluster
  )
  process {
    $snap = Get-SimSnapshot 'clusterResources'
    $cn = if ($null -ne $snap -and $snap.Has('clusterName')) { $snap.ClusterName } else { [string](Invoke-SimOp 'getClusterName' @()).result }
    if ($Name) {
      foreach ($n in $Name) {
        $r = Invoke-SimCmdletJson $PSCmdlet 'getClusterResource' @($n) $n 'Cluster'
        if ($null -ne $r) { [Gpup.Emulation.Views]::Resources($r, $cn) }
      }
    } elseif ($null -ne $snap) {
      $snap.Resources($cn)
    } else {
      $r = Invoke-SimCmdletJson $PSCmdlet 'getClusterResources' @() $Cluster 'Cluster'
      if ($null -ne $r) { [Gpup.Emulation.Views]::Resources($r, $cn) }
    }
  }
}

function Get-ClusterParameter {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string[]]$Name,
    [Parameter(ValueFromPipeline)][psobject]$InputObject,
    [string]$Cluster
  )
  begin { $items = New-Object System.Collections.Generic.List[object] }
  process {
    if ($null -eq $InputObject) { return }
    foreach ($n in $Name) { $items.Add(@{ resource = [string]$InputObject.Name; name = [string]$n; obj = $InputObject }) }
  }
  end {
    if ($items.Count -eq 0) { return }
    # A foreach statement, not ForEach-Object: one script block call per item costs more than the item.
    $snap = if ($Cluster) { $null } else { Get-SimSnapshot 'clusterParameters' }
    if ($null -ne $snap) {
      # Every parameter asked, by the exact resource and parameter names the snapshot holds (no
      # matching rule involved); any other ask goes live below.
      $out = New-Object System.Collections.Generic.List[object]
      foreach ($it in $items) {
        $p = $snap.Parameter($it.resource, $it.name, $it.obj)
        if ($null -eq $p) { $out = $null; break }
        $out.Add($p)
      }
      if ($null -ne $out) { return $out.ToArray() }
    }
    # One round trip for every piped resource, as the real cmdlet reads them over one cluster connection.
    $answers = Invoke-SimBatchAnswers @(foreach ($it in $items) { @{ op = 'getClusterParameter'; args = @($it.resource, $it.name) } })
    for ($i = 0; $i -lt $items.Count; $i++) {
      $a = $answers[$i]
      if (-not $a.Ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.Error $items[$i].resource 'Cluster')); continue }
      [Gpup.Emulation.Views]::Parameter($a.Result, $items[$i].obj)
    }
  }
}

function Set-ClusterParameter {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string]$Name,
    [Parameter(Position = 1)][object]$Value,
    [Parameter(ValueFromPipeline)][psobject]$InputObject,
    [switch]$Create,
    [switch]$Delete,
    [string]$Cluster,
    [hashtable]$Multiple
  )
  process {
    $resource = if ($InputObject -and $InputObject.PSObject.Properties['ClusterObject']) { [string]$InputObject.ClusterObject.Name } elseif ($InputObject) { [string]$InputObject.Name } else { $null }
    $pname = if ($InputObject -and $InputObject.PSObject.Properties['ClusterObject'] -and -not $Name) { [string]$InputObject.Name } else { $Name }
    $pairs = if ($Multiple) { $Multiple.GetEnumerator() | ForEach-Object { @{ n = [string]$_.Key; v = $_.Value } } } else { @(@{ n = $pname; v = $Value }) }
    foreach ($p in $pairs) {
      $a = Invoke-SimOp 'setClusterParameter' @($resource, $p.n, [int]$p.v)
      if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $resource 'Cluster')) }
    }
  }
}

# --- PnpDevice (CDXML in Windows; -CimSession only) -------------------------------------------

function Get-PnpDevice {
  [CmdletBinding(DefaultParameterSetName = 'ByInstanceId')]
  param(
    [Parameter(ParameterSetName = 'ByInstanceId', Position = 0, ValueFromPipelineByPropertyName)][Alias('DeviceId')][string[]]$InstanceId,
    [string[]]$Class,
    [switch]$PresentOnly,
    [string[]]$Status,
    [PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [int]$ThrottleLimit,
    [switch]$AsJob
  )
  process {
    foreach ($h in (Resolve-SimHosts $null $CimSession)) {
      $snap = Get-SimSnapshot 'pnpDevices' $h
      $r = if ($null -ne $snap) { $snap.SectionElement('pnpDevices') } else { Invoke-SimCmdletJson $PSCmdlet 'getPnpDevices' @($h, $null) $h }
      # Filtered like -Class/-InstanceId/-Status (case-insensitive equality), in the compiled view.
      if ($null -ne $r) { [Gpup.Emulation.Views]::PnpDevices($r, $h, [string[]]$Class, [string[]]$InstanceId, [string[]]$Status) }
    }
  }
}

function Get-PnpDeviceProperty {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string[]]$KeyName,
    [Parameter(Mandatory, ValueFromPipelineByPropertyName)][string[]]$InstanceId,
    [PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession
  )
  begin { $ids = New-Object System.Collections.Generic.List[string] }
  process { foreach ($i in $InstanceId) { $ids.Add($i) } }
  end {
    foreach ($h in (Resolve-SimHosts $null $CimSession)) {
      $snap = Get-SimSnapshot 'pnpProperties' $h
      if ($null -ne $snap) {
        # The snapshot holds every device's properties; the view keeps the asked ones, as the bridge would.
        [Gpup.Emulation.Views]::PnpProperties($snap.SectionElement('pnpProperties'), $h, $ids.ToArray(), [string[]]$KeyName)
      } else {
        $r = Invoke-SimCmdletJson $PSCmdlet 'getPnpDeviceProperties' @($h, @($ids)) $h
        if ($null -ne $r) { [Gpup.Emulation.Views]::PnpProperties($r, $h, $null, [string[]]$KeyName) }
      }
    }
  }
}

# --- PowerShell remoting ------------------------------------------------------------------------

# Invoke-Command -ComputerName: one round trip to enter the session (reachability and the host's
# faults, as WinRM would; a cluster name lands on one of its Up nodes), then the script block runs
# "on" that node. By necessity it runs in this runspace: the real remote session would not see this
# session's functions, so the scripts pass self-contained script blocks. Output is not serialised
# (the real one deserialises it); the scripts return strings and hashtables only.
function Invoke-Command {
  [CmdletBinding(DefaultParameterSetName = 'InProcess')]
  param(
    [Parameter(ParameterSetName = 'ComputerName', Mandatory, Position = 0)][Alias('Cn')][string[]]$ComputerName,
    [Parameter(ParameterSetName = 'VMName', Mandatory)][string[]]$VMName,
    [Parameter(ParameterSetName = 'ComputerName')][Parameter(ParameterSetName = 'VMName')][System.Management.Automation.PSCredential]$Credential,
    [Parameter(Mandatory, Position = 1)][Alias('Command')][scriptblock]$ScriptBlock,
    [Alias('Args')][object[]]$ArgumentList = @(),
    [Parameter(ParameterSetName = 'ComputerName')][int]$ThrottleLimit,
    [Parameter(ParameterSetName = 'ComputerName')][switch]$HideComputerName,
    [Parameter(ValueFromPipeline)][psobject]$InputObject
  )
  process {
    if ($PSCmdlet.ParameterSetName -eq 'InProcess') { & $ScriptBlock @ArgumentList; return }
    if ($PSCmdlet.ParameterSetName -eq 'VMName') {
      # PowerShell Direct, emulated: there is no guest OS, so the "session" is this runspace with one
      # guest command in scope, an emulated `nvidia-smi` that answers with the simulator's guest
      # (bridge op guestNvidiaSmi, src/sim/guest.ts). Nothing else of a guest is emulated; -Credential
      # (the guest account) is accepted and not checked. Entering needs the VM Running on this host.
      $h = Get-SimLocalHost
      foreach ($v in $VMName) {
        $a = Invoke-SimOp 'enterVmSession' @($h, [string]$v)
        if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $v)); continue }
        $savedGuest = $script:GuestSession
        $script:GuestSession = @{ host = $h; vm = [string]$a.result }
        Set-Item -Path 'function:global:nvidia-smi' -Value $script:GuestNvidiaSmi
        try {
          & $ScriptBlock @ArgumentList
        } catch {
          $PSCmdlet.WriteError($_)
        } finally {
          $script:GuestSession = $savedGuest
          if (-not $script:GuestSession) { Remove-Item -Path 'function:global:nvidia-smi' -ErrorAction SilentlyContinue }
        }
      }
      return
    }
    foreach ($c in $ComputerName) {
      # The session starts with what its node's read cmdlets would ask the bridge for one by one
      # (Gpup.Emulation.Snapshot; issue 6): on a real node those are local calls, here each would be
      # a bridge call. Dropped at the first write; absent while faults are injected.
      $a = Invoke-SimOpAnswer 'enterSession' @([string]$c, $true)
      if (-not $a.Ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.Error $c)); continue }
      $saved = $script:CurrentHost; $savedSnap = $script:Snap; $savedFacts = $script:SnapFacts
      $savedSession = $script:SnapSession
      $script:Snap = [Gpup.Emulation.Snapshot]::From($a)
      $script:SnapFacts = $null; $script:SnapSession = $null
      $script:CurrentHost = if ($null -ne $script:Snap) { $script:Snap.Host } else { [string]$a.Result.GetProperty('host').GetString() }
      # The node's work is CPU of this machine: one session per core at a time (Gpup.Emulation.Cores).
      while (-not [Gpup.Emulation.Cores]::TryEnter(50)) { }
      try {
        & $ScriptBlock @ArgumentList
      } catch {
        # A terminating error in the remote script block is a non-terminating error of Invoke-Command.
        $PSCmdlet.WriteError($_)
      } finally {
        [Gpup.Emulation.Cores]::Exit()
        $script:CurrentHost = $saved; $script:Snap = $savedSnap; $script:SnapFacts = $savedFacts; $script:SnapSession = $savedSession
      }
    }
  }
}

# The emulated guest's nvidia-smi (see Invoke-Command -VMName). Like the real one it prints its
# report, or its failure text with exit code 9 (NVML could not talk to the driver); only -q -x is
# emulated. Defined in the global scope while a guest session runs, so the caller's script block
# finds it; its body is bound to this module (Invoke-SimOp, $script:GuestSession).
$script:GuestSession = $null
$script:GuestNvidiaSmi = {
  $g = $script:GuestSession
  if (-not $g) { throw 'The term ''nvidia-smi'' is not recognized as a name of a cmdlet, function, script file, or executable program.' }
  $argv = @($args | ForEach-Object { [string]$_ })
  if (-not ($argv -contains '-q' -and $argv -contains '-x')) {
    $global:LASTEXITCODE = 2
    return 'HyperVEmulation: the emulated nvidia-smi supports only -q -x.'
  }
  $a = Invoke-SimOp 'guestNvidiaSmi' @([string]$g.host, [string]$g.vm)
  if ($a.ok) {
    $global:LASTEXITCODE = 0
    # A native command's output is lines.
    return @(([string]$a.result) -split "`r?`n")
  }
  $global:LASTEXITCODE = 9
  [string]$a.error.message
}

# --- CIM (host facts) ------------------------------------------------------------------------------

function New-CimSession {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)][Alias('CN', 'ServerName')][string[]]$ComputerName,
    [Parameter(Position = 1)][System.Management.Automation.PSCredential]$Credential,
    [string]$Name,
    [uint32]$OperationTimeoutSec,
    [switch]$SkipTestConnection,
    [object]$SessionOption
  )
  process {
    foreach ($h in (Resolve-SimHosts $ComputerName $null)) {
      # Connecting reaches the host: an unknown or Down server fails here, as WinRM would.
      $a = Invoke-SimOp 'getHostFacts' @($h)
      if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $h)); continue }
      New-SimCimSessionObject $h
    }
  }
}

function Remove-CimSession {
  [CmdletBinding()]
  param([Parameter(Position = 0, ValueFromPipeline)][psobject[]]$CimSession)
  process { }
}

# Win32_OperatingSystem, Win32_OptionalFeature (Microsoft-Hyper-V) and Win32_PnPSignedDriver (display), from the host facts.
function Get-CimInstance {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string]$ClassName,
    [string]$Namespace = 'root/cimv2',
    [string]$Filter,
    [PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [string[]]$ComputerName,
    [uint32]$OperationTimeoutSec
  )
  process {
    foreach ($h in (Resolve-SimHosts $ComputerName $CimSession)) {
      $f = Get-SimSnapshotFacts $h
      if ($null -eq $f) { $f = Invoke-SimCmdlet $PSCmdlet 'getHostFacts' @($h) $h }
      if ($null -eq $f) { continue }
      switch ($ClassName) {
        'Win32_OperatingSystem' {
          [pscustomobject][ordered]@{ Caption = [string]$f.osCaption; BuildNumber = [string]$f.osBuild; Version = "10.0.$($f.osBuild)"; CSName = $h; PSComputerName = $h }
        }
        'Win32_OptionalFeature' {
          # InstallState 1 = Enabled, 2 = Disabled.
          $o = [pscustomobject][ordered]@{ Name = 'Microsoft-Hyper-V'; Caption = 'Hyper-V'; InstallState = [uint32]$(if ($f.hyperVInstalled) { 1 } else { 2 }); PSComputerName = $h }
          if (-not $Filter -or $Filter -match 'Microsoft-Hyper-V') { $o }
        }
        'Win32_PnPSignedDriver' {
          if ($f.hostDriverVersion) { [pscustomobject][ordered]@{ DeviceClass = 'DISPLAY'; DriverProviderName = 'NVIDIA'; DriverVersion = [string]$f.hostDriverVersion; PSComputerName = $h } }
        }
        default { }
      }
    }
  }
}

# StdRegProv GetDWORDValue for the HyperV group policies (§1.7 [COMMUNITY S46]); ReturnValue 1 = value absent.
function Invoke-CimMethod {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string]$ClassName,
    [Parameter(Position = 1)][string]$MethodName,
    [Parameter(Position = 2)][System.Collections.IDictionary]$Arguments,
    [string]$Namespace = 'root/cimv2',
    [PSTypeName('Microsoft.Management.Infrastructure.CimSession')][psobject[]]$CimSession,
    [string[]]$ComputerName
  )
  process {
    foreach ($h in (Resolve-SimHosts $ComputerName $CimSession)) {
      if ($ClassName -ne 'StdRegProv' -or $MethodName -ne 'GetDWORDValue') { continue }
      $f = Get-SimSnapshotFacts $h
      if ($null -eq $f) { $f = Invoke-SimCmdlet $PSCmdlet 'getHostFacts' @($h) $h }
      if ($null -eq $f) { continue }
      $map = @{ RequireSecureDeviceAssignment = $f.requireSecureDeviceAssignment; RequireSupportedDeviceAssignment = $f.requireSupportedDeviceAssignment }
      $key = [string]$Arguments['sSubKeyName']; $val = [string]$Arguments['sValueName']
      if ($key -eq 'SOFTWARE\Policies\Microsoft\Windows\HyperV' -and $map.ContainsKey($val) -and $map[$val]) {
        [pscustomobject]@{ ReturnValue = [uint32]0; uValue = [uint32]1; PSComputerName = $h }
      } else {
        [pscustomobject]@{ ReturnValue = [uint32]1; uValue = $null; PSComputerName = $h }
      }
    }
  }
}

Export-ModuleMember -Function @(
  'Get-VMHostPartitionableGpu', 'Set-VMHostPartitionableGpu',
  'Add-VMGpuPartitionAdapter', 'Get-VMGpuPartitionAdapter', 'Set-VMGpuPartitionAdapter', 'Remove-VMGpuPartitionAdapter',
  'Get-VM', 'Start-VM', 'Stop-VM',
  'Get-ClusterNode', 'Get-ClusterResource', 'Get-ClusterParameter', 'Set-ClusterParameter',
  'Get-PnpDevice', 'Get-PnpDeviceProperty',
  'New-CimSession', 'Remove-CimSession', 'Get-CimInstance', 'Invoke-CimMethod',
  'Invoke-Command')
