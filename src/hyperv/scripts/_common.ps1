# Shared helpers, prepended by the runner to each script (src/hyperv/hypervBackend.ts). The script
# body runs with $Params (one object decoded from JSON by the bootstrap); nothing in it is spliced.
# Runs on Windows PowerShell 5.1 and PowerShell 7: no ?. ?? ternaries or ForEach-Object -Parallel.
Set-StrictMode -Off
$ErrorActionPreference = 'Stop'
# Functions of script modules (and proxies) do not see the caller's $ErrorActionPreference; default
# parameter values reach every command, so a failing cmdlet always lands in the script's catch.
$PSDefaultParameterValues = @{ '*:ErrorAction' = 'Stop' }
$ProgressPreference = 'SilentlyContinue'
$InformationPreference = 'Continue'

function Get-GpupParam($Object, [string]$Name, $Default = $null) {
  if ($null -eq $Object) { return $Default }
  $p = $Object.PSObject.Properties[$Name]
  if ($null -eq $p -or $null -eq $p.Value) { return $Default }
  return $p.Value
}

# Credentials travel inside $Params (stdin), become a PSCredential here, and are never written anywhere.
function Get-GpupCredential($P) {
  $c = Get-GpupParam $P 'credential'
  if ($null -eq $c) { return $null }
  $user = [string](Get-GpupParam $c 'userName' '')
  $pw = [string](Get-GpupParam $c 'password' '')
  if ($user -eq '') { return $null }
  $secure = New-Object System.Security.SecureString
  foreach ($ch in $pw.ToCharArray()) { $secure.AppendChar($ch) }
  $secure.MakeReadOnly()
  New-Object System.Management.Automation.PSCredential($user, $secure)
}

function Get-GpupNow { [DateTime]::UtcNow.ToString('o') }

# A tagged information record: the runner turns it into an OutputRecord (stream 'step' when step is set).
function Write-GpupInfo([string]$HostName, [string]$Message, [string]$Target = $null, [string]$Step = $null) {
  $d = @{ time = (Get-GpupNow); host = $HostName; message = $Message }
  if ($Target) { $d.target = $Target }
  if ($Step) { $d.step = $Step }
  Write-Information -MessageData $d -Tags 'gpup'
}

function ConvertTo-GpupU64($v) {
  if ($null -eq $v -or ($v -is [string] -and $v -eq '')) { return $null }
  ([UInt64]$v).ToString([Globalization.CultureInfo]::InvariantCulture)
}

# One error as data: host, target, operation, message, category, id.
function ConvertTo-GpupError($ErrorRecord, [string]$HostName, [string]$Target, [string]$Op) {
  $msg = [string]$ErrorRecord.Exception.Message
  if ($ErrorRecord.ErrorDetails -and $ErrorRecord.ErrorDetails.Message) { $msg = [string]$ErrorRecord.ErrorDetails.Message }
  [ordered]@{ host = $HostName; target = $Target; op = $Op; message = $msg; category = [string]$ErrorRecord.CategoryInfo.Category; fullyQualifiedErrorId = [string]$ErrorRecord.FullyQualifiedErrorId }
}

# The same quoting as src/model/psQuote.ts: single quotes, each quote character doubled.
function ConvertTo-GpupQuoted([string]$Value) {
  "'" + ($Value -replace "(['\u2018\u2019\u201A\u201B])", '$1$1') + "'"
}

# Arrays stay arrays (empty or one item). @() over an empty generic List throws "Argument types do not
# match" in PowerShell 7, hence ToArray().
function ConvertTo-GpupArray($Items) {
  if ($null -eq $Items) { return , @() }
  if ($Items -is [System.Collections.Generic.List[object]]) { return , ([object[]]$Items.ToArray()) }
  return , ([object[]]@($Items))
}

function Write-GpupEnvelope([bool]$Ok, $Records, $Errors, $Extra = $null) {
  $e = [ordered]@{ ok = $Ok; records = (ConvertTo-GpupArray $Records); errors = (ConvertTo-GpupArray $Errors) }
  if ($Extra) { foreach ($k in $Extra.Keys) { $e[$k] = $Extra[$k] } }
  ConvertTo-Json -InputObject $e -Depth 8 -Compress
}

# Splat for the Hyper-V cmdlets' own remoting (-ComputerName / -Credential).
function Get-GpupRemote([string]$Computer, $Credential) {
  $h = @{ ComputerName = $Computer }
  if ($Credential) { $h.Credential = $Credential }
  $h
}

# --- shared by assign / unassign / set-count -----------------------------------------------------

# The commands a person could run by hand, text-identical to src/model/plan.ts.
function Get-GpupCommand([string]$Action, [string]$Server, [string]$Target, $Extra = $null) {
  $q = { param($v) ConvertTo-GpupQuoted $v }
  switch ($Action) {
    'stop-vm' { "Stop-VM -Name $(& $q $Target) -ComputerName $(& $q $Server) -Force" }
    'start-vm' { "Start-VM -Name $(& $q $Target) -ComputerName $(& $q $Server)" }
    'add-adapter' {
      $c = "Add-VMGpuPartitionAdapter -VMName $(& $q $Target) -ComputerName $(& $q $Server)"
      if ($Extra) { $c += " -InstancePath $(& $q ([string]$Extra))" }
      $c
    }
    'remove-adapter' { "Remove-VMGpuPartitionAdapter -VMName $(& $q $Target) -ComputerName $(& $q $Server)" }
    'set-offline-action' { "Get-ClusterResource -Cluster $(& $q ([string]$Extra)) -Name $(& $q $Target) | Set-ClusterParameter -Name OfflineAction -Value 3" }
    'set-count' { "Get-VMHostPartitionableGpu -ComputerName $(& $q $Server) -Name $(& $q $Target) | Set-VMHostPartitionableGpu -PartitionCount $([int]$Extra)" }
  }
}

function New-GpupStep([string]$HostName, [string]$Target, [string]$Action, [string]$Command) {
  [ordered]@{ type = 'step'; host = $HostName; target = $Target; action = $Action; command = $Command }
}

# A VM by exact name (case-insensitive, as Hyper-V compares): never Get-VM -Name, whose argument is a
# wildcard pattern ('[', '*', '?' are legal in VM names).
function Find-GpupVm([string]$Server, $Credential, [string]$Name) {
  $remote = Get-GpupRemote $Server $Credential
  $hits = @(Get-VM @remote | Where-Object { [string]$_.Name -eq $Name })
  if ($hits.Count -eq 0) { throw "Hyper-V was unable to find a virtual machine with name `"$Name`"." }
  if ($hits.Count -gt 1) { throw "More than one virtual machine on $Server is named `"$Name`"." }
  $hits[0]
}

# The VM's cluster resource, matched by the VmID private property (names differ: "Virtual Machine X").
function Find-GpupClusterResource([string]$Cluster, [string]$VmId) {
  $ca = @{}
  if ($Cluster) { $ca.Cluster = $Cluster }
  $res = @(Get-ClusterResource @ca | Where-Object { [string]$_.ResourceType -eq 'Virtual Machine' })
  if ($res.Count -eq 0) { return $null }
  $params = @($res | Get-ClusterParameter -Name VmID, OfflineAction)
  $ids = @($params | Where-Object { [string]$_.Name -eq 'VmID' -and ([string]$_.Value).ToLowerInvariant() -eq $VmId.ToLowerInvariant() })
  if ($ids.Count -eq 0) { return $null }
  $r = $ids[0].ClusterObject
  $oa = @($params | Where-Object { [string]$_.Name -eq 'OfflineAction' -and [string]$_.ClusterObject.Name -eq [string]$r.Name })
  @{ resource = $r; offlineAction = $(if ($oa.Count) { [int]$oa[0].Value } else { $null }) }
}

function Get-GpupVmState([string]$Server, $Credential, [string]$Name) {
  try { [string](Find-GpupVm $Server $Credential $Name).State } catch { $null }
}

# --- cooperative cancellation (src/hyperv/runner.ts, RunOptions.cancelGraceMs) ---------------------
# The runner names a file in $Params.cancelFile and writes it ('cancel' or 'timeout') when the user
# cancels or the call times out. A script checks it between steps and rolls back by itself; only if
# it does not finish within the grace period is the process killed (and HyperVBackend's recovery pass
# in a fresh process puts the VMs back). A file, not a second pipe: Test-Path works the same on
# Windows PowerShell 5.1 and 7, needs no thread, and the runner's stdin is busy with the call.
$gpupCancelFile = [string](Get-GpupParam $Params 'cancelFile' '')

function Get-GpupCancelReason {
  if (-not $gpupCancelFile) { return $null }
  if (-not (Test-Path -LiteralPath $gpupCancelFile)) { return $null }
  $reason = 'cancel'
  try {
    if (([string](Get-Content -LiteralPath $gpupCancelFile -Raw)).Trim() -eq 'timeout') { $reason = 'timeout' }
  } catch { }
  $reason
}

# Throws a recognisable exception when a stop was asked; the script's catch rolls the VM back.
function Assert-GpupNotCancelled {
  $r = Get-GpupCancelReason
  if ($r) { throw (New-Object System.OperationCanceledException ('gpup:' + $r)) }
}

# The stop reason ('cancel' | 'timeout') when an error record is our own stop request, else $null.
function Get-GpupStopReason($ErrorRecord) {
  $ex = $ErrorRecord.Exception
  if ($ex -is [System.OperationCanceledException] -and ([string]$ex.Message).StartsWith('gpup:')) { return ([string]$ex.Message).Substring(5) }
  $null
}

# The failure of one assign/unassign item: our own stop request (cancel or timeout, between steps) or
# the error of a cmdlet. Recorded on $Item (the error also in $Errors); returns the stop reason, or
# $null for an error. The caller rolls back what $Done says was begun.
function Set-GpupItemFailure($Item, $ErrorRecord, [string]$Server, [string]$Name, [string]$Step, $Done, $Errors) {
  $why = Get-GpupStopReason $ErrorRecord
  if ($why) {
    # Our own stop request: not an error of the VM; HyperVBackend words the item's message.
    $Item.interrupted = $why
    $Item.error = "Stopped ($why) after step '$Step'."
    if ($Done.Count -eq 0) { $Item.notStarted = $true }
    return $why
  }
  $err = ConvertTo-GpupError $ErrorRecord $Server $Name $Step
  $Errors.Add($err)
  $Item.error = [string]$err.message
  return $null
}

# A new assign/unassign item record. After a stop request ended the run (and not in what-if mode),
# it is marked not started, with the reason: the caller records it and moves on.
function New-GpupItem([string]$Server, [string]$Name, [string]$StopReason) {
  $item = [ordered]@{ type = 'item'; host = $Server; target = $Name; ok = $false; completedSteps = @() }
  if ($StopReason) {
    $item.interrupted = $StopReason
    $item.notStarted = $true
    $item.error = "Not started: the operation was stopped ($StopReason) before this VM."
  }
  $item
}
