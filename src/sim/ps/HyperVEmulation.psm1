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

$script:SimUrl = $env:GPUP_SIM_URL
$script:SimToken = $env:GPUP_SIM_TOKEN
$script:Http = $null
# The node a remote session (emulated Invoke-Command) runs on: cmdlets without -ComputerName target it,
# and every bridge request names it (`from`) so the bridge charges no network latency for a call to
# the host it comes from (issue 6: one round trip per node, not one per cmdlet).
$script:CurrentHost = $null
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

function Send-SimRequest([string]$Path, $Body) {
  if ($script:CurrentHost) { $Body.from = $script:CurrentHost }
  $json = ConvertTo-Json -InputObject $Body -Depth 8 -Compress
  $content = [System.Net.Http.StringContent]::new($json, [System.Text.Encoding]::UTF8, 'application/json')
  $resp = (Get-SimHttp).PostAsync($script:SimUrl + $Path, $content).GetAwaiter().GetResult()
  $text = $resp.Content.ReadAsStringAsync().GetAwaiter().GetResult()
  if (-not $resp.IsSuccessStatusCode) { throw "HyperVEmulation: the simulator bridge answered HTTP $([int]$resp.StatusCode)." }
  ConvertFrom-SimJson $text
}

# One SimWorld call. Returns @{ ok; result; error }.
function Invoke-SimOp([string]$Op, [object[]]$Arguments = @()) {
  Send-SimRequest '/call' @{ op = $Op; args = @($Arguments) }
}

function Invoke-SimBatch([object[]]$Calls) {
  $a = Send-SimRequest '/batch' @{ calls = @($Calls) }
  @($a.result)
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

# Property order of domain doc §1.1 [S4]; SupportsIncomingLiveMigration between AvailableVRAM and MinPartitionVRAM (WS2025).
# The views below run once per object of a whole cluster (issue 6): no helper calls per field
# (a PowerShell function call costs more than the rest of the work), hence the inline UInt64 casts
# (PowerShell casts strings with the invariant culture) and StrictMode off for absent JSON fields.
$script:GpuKeys = @('MinPartitionVRAM', 'MaxPartitionVRAM', 'OptimalPartitionVRAM', 'TotalEncode', 'AvailableEncode', 'MinPartitionEncode', 'MaxPartitionEncode', 'OptimalPartitionEncode', 'TotalDecode', 'AvailableDecode', 'MinPartitionDecode', 'MaxPartitionDecode', 'OptimalPartitionDecode', 'TotalCompute', 'AvailableCompute', 'MinPartitionCompute', 'MaxPartitionCompute', 'OptimalPartitionCompute') |
  ForEach-Object { , @($_, ($_.Substring(0, 1).ToLowerInvariant() + $_.Substring(1))) }
$script:AdapterKeys = foreach ($r in 'VRAM', 'Encode', 'Decode', 'Compute') {
  foreach ($m in 'Current', 'Min', 'Max', 'Optimal') { , @("${m}Partition$r", ($m.ToLowerInvariant() + "Partition$r")) }
}

function ConvertTo-VMHostPartitionableGpu($g, $Session) {
  Set-StrictMode -Off
  $o = [ordered]@{
    Name                 = [string]$g.name
    ValidPartitionCounts = [UInt16[]]@($g.validPartitionCounts)
    PartitionCount       = [UInt16]$g.partitionCount
    TotalVRAM            = $(if ($null -eq $g.totalVRAM) { $null } else { [UInt64]$g.totalVRAM })
    AvailableVRAM        = $(if ($null -eq $g.availableVRAM) { $null } else { [UInt64]$g.availableVRAM })
  }
  if ($null -ne $g.PSObject.Properties['supportsIncomingLiveMigration']) { $o.SupportsIncomingLiveMigration = [bool]$g.supportsIncomingLiveMigration }
  foreach ($k in $script:GpuKeys) {
    $x = $g.($k[1])
    $o[$k[0]] = if ($null -eq $x -or $x -eq '') { $null } else { [UInt64]$x }
  }
  $o.CimSession = $Session
  $o.ComputerName = [string]$g.computerName
  $o.IsDeleted = [bool]$g.isDeleted
  $obj = [pscustomobject]$o
  $obj.PSObject.TypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VMHostPartitionableGpu')
  $obj
}

function Get-SimProp($o, [string]$Name) {
  $p = $o.PSObject.Properties[$Name]
  if ($null -eq $p) { $null } else { $p.Value }
}

# Property order of domain doc §1.4 [S4]; SupportsOutgoingLiveMigration (WS2025) last (its position is UNCONFIRMED).
function ConvertTo-VMGpuPartitionAdapter($a, $Session) {
  Set-StrictMode -Off
  $o = [ordered]@{ InstancePath = $a.instancePath }
  # Order of §1.4: Current, Min, Max, Optimal per resource.
  foreach ($k in $script:AdapterKeys) {
    $x = $a.($k[1])
    $o[$k[0]] = if ($null -eq $x -or $x -eq '') { $null } else { [UInt64]$x }
  }
  $pid_ = $a.partitionId
  $o.PartitionId = if ($null -eq $pid_) { $null } else { [UInt16]$pid_ }
  $o.PartitionVfLuid = $a.partitionVfLuid
  $o.Name = [string]$a.name
  $o.Id = [string]$a.id
  $o.VMId = [guid][string]$a.vmId
  $o.VMName = [string]$a.vmName
  $o.VMSnapshotId = [guid][string]$a.vmSnapshotId
  $o.VMSnapshotName = [string]$a.vmSnapshotName
  $o.CimSession = $Session
  $o.ComputerName = [string]$a.computerName
  $o.IsDeleted = [bool]$a.isDeleted
  $o.VMCheckpointId = [guid][string]$a.vmCheckpointId
  $o.VMCheckpointName = [string]$a.vmCheckpointName
  $lm = $a.supportsOutgoingLiveMigration
  if ($null -ne $lm) { $o.SupportsOutgoingLiveMigration = [bool]$lm }
  $obj = [pscustomobject]$o
  $obj.PSObject.TypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter')
  $obj
}

function ConvertTo-VirtualMachine($v, $Session) {
  Set-StrictMode -Off
  $obj = [pscustomobject][ordered]@{
    Name                        = [string]$v.name
    State                       = [string]$v.state
    Id                          = [guid][string]$v.id
    VMId                        = [guid][string]$v.id
    VMName                      = [string]$v.name
    Generation                  = [int]$v.generation
    AutomaticCheckpointsEnabled = [bool]$v.automaticCheckpointsEnabled
    LowMemoryMappedIoSpace      = $(if ($null -eq $v.lowMemoryMappedIoSpace -or $v.lowMemoryMappedIoSpace -eq '') { $null } else { [UInt64]$v.lowMemoryMappedIoSpace })
    HighMemoryMappedIoSpace     = $(if ($null -eq $v.highMemoryMappedIoSpace -or $v.highMemoryMappedIoSpace -eq '') { $null } else { [UInt64]$v.highMemoryMappedIoSpace })
    IsClustered                 = ($null -ne $v.offlineAction)
    CimSession                  = $Session
    ComputerName                = [string]$v.computerName
    IsDeleted                   = $false
  }
  $obj.PSObject.TypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VirtualMachine')
  $obj
}

function Get-SessionFor([string]$Computer, $CimSession) {
  if ($CimSession) { $s = @($CimSession | Where-Object { $_.ComputerName -eq $Computer }) ; if ($s.Count) { return $s[0] } }
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
      $r = Invoke-SimCmdlet $PSCmdlet 'getPartitionableGpus' @($h, $(if ($PSBoundParameters.ContainsKey('Name')) { $Name } else { $null })) $Name
      foreach ($g in @($r)) { if ($null -ne $g) { ConvertTo-VMHostPartitionableGpu $g (Get-SessionFor $h $CimSession) } }
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
    [Parameter(ParameterSetName = 'Object', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VMHostPartitionableGpu')][psobject[]]$HostPartitionableGpu,
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
          $r = Invoke-SimCmdlet $PSCmdlet 'getVms' @($h, $n) $n
          foreach ($v in @($r)) { if ($null -ne $v) { ConvertTo-VirtualMachine $v $session } }
        }
      } else {
        $r = Invoke-SimCmdlet $PSCmdlet 'getVms' @($h, $null) $h
        foreach ($v in @($r)) { if ($null -ne $v) { ConvertTo-VirtualMachine $v $session } }
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
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][psobject[]]$VM,
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
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][psobject[]]$VM,
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
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][psobject[]]$VM,
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
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][psobject[]]$VM,
    [string]$AdapterId
  )
  begin { $targets = New-Object System.Collections.Generic.List[object] }
  process {
    foreach ($t in (Resolve-SimVmTargets $PSCmdlet.ParameterSetName $VMName $VM $ComputerName $CimSession)) { $targets.Add($t) }
  }
  end {
    if ($targets.Count -eq 0) { return }
    # One batch for every VM asked (one simulated round trip), answered in input order.
    $answers = Invoke-SimBatch @(foreach ($t in $targets) { @{ op = 'getGpuPartitionAdapters'; args = @($t.host, $t.vm) } })
    $sessions = @{}
    for ($i = 0; $i -lt $targets.Count; $i++) {
      $t = $targets[$i]; $a = $answers[$i]
      if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $t.vm)); continue }
      if (-not $sessions.ContainsKey($t.host)) { $sessions[$t.host] = Get-SessionFor $t.host $CimSession }
      foreach ($x in @($a.result)) {
        if ($null -eq $x) { continue }
        if ($PSBoundParameters.ContainsKey('AdapterId') -and $x.id -ne $AdapterId) { continue }
        ConvertTo-VMGpuPartitionAdapter $x $sessions[$t.host]
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
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][psobject[]]$VM,
    [Parameter(ParameterSetName = 'Object', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter')][psobject[]]$VMGpuPartitionAdapter,
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
    [Parameter(ParameterSetName = 'VMObject', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VirtualMachine')][psobject[]]$VM,
    [Parameter(ParameterSetName = 'Object', Mandatory, Position = 0, ValueFromPipeline)][PSTypeName('Microsoft.HyperV.PowerShell.VMGpuPartitionAdapter')][psobject[]]$VMGpuPartitionAdapter,
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
    $r = Invoke-SimCmdlet $PSCmdlet 'getClusterNodes' @($(if ($Cluster) { $Cluster } else { $null })) $Cluster 'Cluster'
    if ($null -eq $r) { return }
    $cn = (Invoke-SimOp 'getClusterName' @()).result
    foreach ($n in @($r)) {
      if ($Name -and -not ($Name | Where-Object { $_ -eq $n.name })) { continue }
      $o = [pscustomobject][ordered]@{ Name = [string]$n.name; State = [string]$n.state; Cluster = [string]$cn; Id = [string]([Array]::IndexOf(@($r), $n) + 1) }
      $o.PSObject.TypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterNode')
      $o
    }
  }
}

function ConvertTo-ClusterResource($r, [string]$ClusterName) {
  $o = [pscustomobject][ordered]@{
    Name         = [string]$r.name
    State        = [string]$r.state
    OwnerGroup   = ([string]$r.name) -replace '^Virtual Machine ', ''
    ResourceType = [string]$r.resourceType
    OwnerNode    = [string]$r.ownerNode
    Cluster      = $ClusterName
  }
  $o.PSObject.TypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterResource')
  $o
}

function Get-ClusterResource {
  [CmdletBinding()]
  param(
    [Parameter(Position = 0)][string[]]$Name,
    [Parameter(ValueFromPipeline)][psobject]$InputObject,
    [string]$Cluster
  )
  process {
    $cn = [string](Invoke-SimOp 'getClusterName' @()).result
    if ($Name) {
      foreach ($n in $Name) {
        $r = Invoke-SimCmdlet $PSCmdlet 'getClusterResource' @($n) $n 'Cluster'
        if ($null -ne $r) { ConvertTo-ClusterResource $r $cn }
      }
    } else {
      $r = Invoke-SimCmdlet $PSCmdlet 'getClusterResources' @() $Cluster 'Cluster'
      # Inline view (one per VM role of the cluster; a function call each would dominate).
      foreach ($x in @($r)) {
        if ($null -eq $x) { continue }
        $o = [pscustomobject][ordered]@{ Name = [string]$x.name; State = [string]$x.state; OwnerGroup = ([string]$x.name) -replace '^Virtual Machine ', ''; ResourceType = [string]$x.resourceType; OwnerNode = [string]$x.ownerNode; Cluster = $cn }
        $o.PSObject.TypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterResource')
        $o
      }
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
    # One round trip for every piped resource, as the real cmdlet reads them over one cluster connection.
    # A foreach statement, not ForEach-Object: one script block call per item costs more than the item.
    $answers = Invoke-SimBatch @(foreach ($it in $items) { @{ op = 'getClusterParameter'; args = @($it.resource, $it.name) } })
    for ($i = 0; $i -lt $items.Count; $i++) {
      $a = $answers[$i]
      if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $items[$i].resource 'Cluster')); continue }
      $v = $a.result.value
      $o = [pscustomobject][ordered]@{
        ClusterObject = $items[$i].obj
        Name          = [string]$a.result.name
        IsReadOnly    = $false
        ParameterType = $(if ($v -is [string]) { 'String' } else { 'UInt32' })
        Value         = $(if ($v -is [string]) { $v } else { [UInt32]$v })
      }
      $o.PSObject.TypeNames.Insert(0, 'Microsoft.FailoverClusters.PowerShell.ClusterParameter')
      $o
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
      $r = Invoke-SimCmdlet $PSCmdlet 'getPnpDevices' @($h, $null) $h
      foreach ($d in @($r)) {
        if ($null -eq $d) { continue }
        if ($Class -and -not ($Class | Where-Object { $_ -eq $d.class })) { continue }
        if ($InstanceId -and -not ($InstanceId | Where-Object { $_ -eq $d.instanceId })) { continue }
        if ($Status -and -not ($Status | Where-Object { $_ -eq $d.status })) { continue }
        $o = [pscustomobject][ordered]@{
          Status         = [string]$d.status
          Class          = [string]$d.class
          FriendlyName   = [string]$d.friendlyName
          InstanceId     = [string]$d.instanceId
          Manufacturer   = [string]$d.manufacturer
          Present        = $true
          PSComputerName = $h
        }
        $o.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity')
        $o
      }
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
      $r = Invoke-SimCmdlet $PSCmdlet 'getPnpDeviceProperties' @($h, @($ids)) $h
      foreach ($d in @($r)) {
        if ($null -eq $d) { continue }
        foreach ($p in $d.properties.PSObject.Properties) {
          if ($KeyName -and -not ($KeyName -contains $p.Name)) { continue }
          $v = $p.Value
          $type = 'UInt32'; $data = $null
          if ($v -is [string]) { $type = 'String'; $data = $v }
          elseif ($v -is [array]) { $type = 'StringList'; $data = [string[]]@($v) }
          else { $data = [UInt32]$v }
          $o = [pscustomobject][ordered]@{ InstanceId = [string]$d.instanceId; KeyName = $p.Name; Type = $type; Data = $data; PSComputerName = $h }
          $o.PSObject.TypeNames.Insert(0, 'Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPDeviceProperty')
          $o
        }
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
      $a = Invoke-SimOp 'enterSession' @([string]$c)
      if (-not $a.ok) { $PSCmdlet.WriteError((New-SimErrorRecord $a.error $c)); continue }
      $saved = $script:CurrentHost
      $script:CurrentHost = [string]$a.result
      try {
        & $ScriptBlock @ArgumentList
      } catch {
        # A terminating error in the remote script block is a non-terminating error of Invoke-Command.
        $PSCmdlet.WriteError($_)
      } finally {
        $script:CurrentHost = $saved
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
      $f = Invoke-SimCmdlet $PSCmdlet 'getHostFacts' @($h) $h
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
      $f = Invoke-SimCmdlet $PSCmdlet 'getHostFacts' @($h) $h
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
