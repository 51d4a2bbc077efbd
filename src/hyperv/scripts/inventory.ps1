# inventory.ps1: reads a cluster (Get-ClusterNode) or a standalone server with ONE remote call per
# node: the node reader below runs ON each node (Invoke-Command; the cmdlets inside are local to that
# node), in parallel (RunspacePool, throttled), and returns the node's records as one JSON text. The
# cluster reader (node list, each clustered VM's OfflineAction) is one more remote call in the same
# pool, run AT THE SAME TIME as the node readers when the node list is known already (`servers`, or
# `knownNodes`: the nodes of the caller's last read). So a warm refresh costs about one round trip,
# not one per cmdlet per node (issue 6). Nodes the cluster does not list are dropped; nodes it lists
# that were not guessed are read in a second wave.
#
# $Params: { target: { kind: 'cluster'|'server'|'auto', name?: string }, servers?: string[],
#            knownNodes?: string[], knownHashes?: { <node>: hash }, credential?: { userName, password },
#            throttle?: number }
# Output: one envelope { ok, records, errors, nodes } of flat records (src/hyperv/schemas.ts).
# `nodes` lists each node read with the hash of its records' JSON text; a node whose hash equals the
# caller's `knownHashes` entry (its last read) sends no records at all, only { unchanged: true }: the
# caller keeps the records it has. A warm refresh of an unchanged cluster moves a few KB, not 700.
# Remote nodes go through PowerShell remoting (WinRM, as Windows Admin Center does); with kind
# 'cluster' the cluster reader runs on the node that answers for the cluster name.

$target = Get-GpupParam $Params 'target'
$kind = [string](Get-GpupParam $target 'kind' 'server')
$targetName = Get-GpupParam $target 'name'
$only = @(Get-GpupParam $Params 'servers' @())
$known = @(Get-GpupParam $Params 'knownNodes' @())
$knownHashes = Get-GpupParam $Params 'knownHashes'
# Invoke-Command's own default ThrottleLimit is 32.
$throttle = [int](Get-GpupParam $Params 'throttle' 32)
if ($throttle -lt 1) { $throttle = 1 }
$cred = Get-GpupCredential $Params

$records = New-Object System.Collections.Generic.List[object]
$errors = New-Object System.Collections.Generic.List[object]
$clusterName = $null
$nodes = @()
# Where the cluster reader runs: $null = here (this machine is a cluster node, kind 'auto').
$clusterComputer = $null

if ($kind -eq 'auto') {
  # The local node: a cluster member when Get-ClusterNode answers, else a standalone server.
  Write-GpupInfo '(local)' 'Reading cluster nodes'
  $kind = 'server'
  try { $null = @(Get-ClusterNode -ErrorAction Stop); $kind = 'cluster' } catch { }
  if ($kind -eq 'server' -and -not $targetName) { $targetName = [string]@(Get-CimInstance -ClassName Win32_OperatingSystem)[0].CSName }
} elseif ($kind -eq 'cluster') {
  $clusterComputer = if ($targetName) { [string]$targetName } else { $null }
}
$label = if ($targetName) { [string]$targetName } else { '(local cluster)' }
if ($kind -ne 'cluster') {
  if (-not $targetName) { $targetName = $env:COMPUTERNAME }
  $nodes = @([string]$targetName)
}
if ($only.Count -gt 0) { $nodes = @($only | ForEach-Object { [string]$_ }) }
elseif ($kind -eq 'cluster') { $nodes = @($known | ForEach-Object { [string]$_ }) }

# --- what runs ON a node: self-contained (a remote session has none of this script's helpers) -----
$nodeReader = {
  param([string]$Node, [string]$KnownHash)
  $ErrorActionPreference = 'Stop'
  # Functions of script modules (and proxies) do not see the caller's $ErrorActionPreference.
  $PSDefaultParameterValues = @{ '*:ErrorAction' = 'Stop' }
  $ProgressPreference = 'SilentlyContinue'
  $InformationPreference = 'Continue'
  # The records are written as JSON text directly (issue 6): an ordered dictionary per record and
  # ConvertTo-Json cost about 15 ms per node, this about 3. No function calls per field (a
  # PowerShell function call costs more than the field): strings go through .NET's JSON string
  # encoder (quotes, backslashes, control characters, U+2028/9 escaped); UInt64 values travel as
  # decimal strings (invariant culture: PowerShell's [string] cast); null stays null.
  if (-not ('System.Web.HttpUtility' -as [type])) { Add-Type -AssemblyName System.Web }
  $JE = [System.Web.HttpUtility]
  # Property name -> its JSON key, spelled out (no string work per field).
  $gpuKeys = @(
    @('TotalVRAM', ',"totalVRAM":'), @('AvailableVRAM', ',"availableVRAM":'), @('MinPartitionVRAM', ',"minPartitionVRAM":'), @('MaxPartitionVRAM', ',"maxPartitionVRAM":'), @('OptimalPartitionVRAM', ',"optimalPartitionVRAM":'),
    @('TotalEncode', ',"totalEncode":'), @('AvailableEncode', ',"availableEncode":'), @('MinPartitionEncode', ',"minPartitionEncode":'), @('MaxPartitionEncode', ',"maxPartitionEncode":'), @('OptimalPartitionEncode', ',"optimalPartitionEncode":'),
    @('TotalDecode', ',"totalDecode":'), @('AvailableDecode', ',"availableDecode":'), @('MinPartitionDecode', ',"minPartitionDecode":'), @('MaxPartitionDecode', ',"maxPartitionDecode":'), @('OptimalPartitionDecode', ',"optimalPartitionDecode":'),
    @('TotalCompute', ',"totalCompute":'), @('AvailableCompute', ',"availableCompute":'), @('MinPartitionCompute', ',"minPartitionCompute":'), @('MaxPartitionCompute', ',"maxPartitionCompute":'), @('OptimalPartitionCompute', ',"optimalPartitionCompute":'))
  $adapterKeys = @(
    @('CurrentPartitionVRAM', ',"currentPartitionVRAM":'), @('MinPartitionVRAM', ',"minPartitionVRAM":'), @('MaxPartitionVRAM', ',"maxPartitionVRAM":'), @('OptimalPartitionVRAM', ',"optimalPartitionVRAM":'),
    @('CurrentPartitionEncode', ',"currentPartitionEncode":'), @('MinPartitionEncode', ',"minPartitionEncode":'), @('MaxPartitionEncode', ',"maxPartitionEncode":'), @('OptimalPartitionEncode', ',"optimalPartitionEncode":'),
    @('CurrentPartitionDecode', ',"currentPartitionDecode":'), @('MinPartitionDecode', ',"minPartitionDecode":'), @('MaxPartitionDecode', ',"maxPartitionDecode":'), @('OptimalPartitionDecode', ',"optimalPartitionDecode":'),
    @('CurrentPartitionCompute', ',"currentPartitionCompute":'), @('MinPartitionCompute', ',"minPartitionCompute":'), @('MaxPartitionCompute', ',"maxPartitionCompute":'), @('OptimalPartitionCompute', ',"optimalPartitionCompute":'))
  $json = New-Object System.Text.StringBuilder 65536
  $hostJson = $JE::JavaScriptStringEncode($Node, $true)
  $err = $null
  $op = 'Get-CimInstance'
  try {
    $os = @(Get-CimInstance -ClassName Win32_OperatingSystem)[0]
    $feature = @(Get-CimInstance -ClassName Win32_OptionalFeature -Filter "Name='Microsoft-Hyper-V'")
    $hyperV = ($feature.Count -gt 0 -and [int]$feature[0].InstallState -eq 1)
    $op = 'Invoke-CimMethod'
    $policy = @{}
    foreach ($v in @('RequireSecureDeviceAssignment', 'RequireSupportedDeviceAssignment')) {
      # HKLM (0x80000002) \SOFTWARE\Policies\Microsoft\Windows\HyperV (domain doc §1.7 [COMMUNITY S46]).
      $r = Invoke-CimMethod -Namespace 'root/default' -ClassName 'StdRegProv' -MethodName 'GetDWORDValue' -Arguments @{ hDefKey = [uint32]2147483650; sSubKeyName = 'SOFTWARE\Policies\Microsoft\Windows\HyperV'; sValueName = $v }
      $policy[$v] = ($null -ne $r -and [int]$r.ReturnValue -eq 0 -and [int]$r.uValue -ne 0)
    }
    $op = 'Get-CimInstance'
    $drivers = @(Get-CimInstance -ClassName Win32_PnPSignedDriver -Filter "DeviceClass='DISPLAY'")
    $nv = @(foreach ($x in $drivers) { if ([string]$x.DriverProviderName -match 'NVIDIA') { $x } })
    $driver = if ($nv.Count) { $nv[0] } elseif ($drivers.Count) { $drivers[0] } else { $null }
    # IOMMU DMA bit tracking (§1.10 [S3]) has no documented query; it is left unknown.
    [void]$json.Append('{"type":"hostFacts","host":').Append($hostJson).Append(',"osCaption":').Append($JE::JavaScriptStringEncode([string]$os.Caption, $true)).Append(',"osBuild":').Append([int]$os.BuildNumber)
    [void]$json.Append(',"hyperVInstalled":').Append($(if ($hyperV) { 'true' } else { 'false' }))
    [void]$json.Append(',"requireSecureDeviceAssignment":').Append($(if ($policy['RequireSecureDeviceAssignment']) { 'true' } else { 'false' }))
    [void]$json.Append(',"requireSupportedDeviceAssignment":').Append($(if ($policy['RequireSupportedDeviceAssignment']) { 'true' } else { 'false' }))
    if ($driver) { [void]$json.Append(',"hostDriverVersion":').Append($JE::JavaScriptStringEncode([string]$driver.DriverVersion, $true)) }
    [void]$json.Append('}')

    $op = 'Get-PnpDevice'
    # -Class System too: a DDA-dismounted GPU leaves the Display class (domain doc §3 [S16]).
    $devs = @(foreach ($x in @(Get-PnpDevice -Class Display, System)) { if ($x.Class -eq 'Display' -or ([string]$x.InstanceId).StartsWith('PCI\')) { $x } })
    $props = @{}
    if ($devs.Count) {
      $op = 'Get-PnpDeviceProperty'
      $ids = @(foreach ($x in $devs) { [string]$x.InstanceId })
      foreach ($p in @(Get-PnpDeviceProperty -InstanceId $ids -KeyName DEVPKEY_PciDevice_ExpressSpecVersion, DEVPKEY_PciDevice_SriovSupport, DEVPKEY_Device_DriverInfPath, DEVPKEY_Device_DriverVersion, DEVPKEY_Device_CompatibleIds)) {
        $k = ([string]$p.InstanceId).ToUpperInvariant()
        if (-not $props.ContainsKey($k)) { $props[$k] = @{} }
        $props[$k][[string]$p.KeyName] = $p.Data
      }
    }
    foreach ($d in $devs) {
      $pp = $props[([string]$d.InstanceId).ToUpperInvariant()]
      if ($null -eq $pp) { $pp = @{} }
      if ($d.Class -ne 'Display') {
        # Keep a System-class device only when it is a display controller (PCI class 03).
        $compat = @($pp['DEVPKEY_Device_CompatibleIds'])
        if (-not ($compat | Where-Object { [string]$_ -like 'PCI\CC_03*' })) { continue }
      }
      [void]$json.Append(',{"type":"pnp","host":').Append($hostJson).Append(',"instanceId":').Append($JE::JavaScriptStringEncode([string]$d.InstanceId, $true)).Append(',"friendlyName":').Append($JE::JavaScriptStringEncode([string]$d.FriendlyName, $true))
      [void]$json.Append(',"manufacturer":').Append($JE::JavaScriptStringEncode([string]$d.Manufacturer, $true)).Append(',"status":').Append($JE::JavaScriptStringEncode([string]$d.Status, $true)).Append(',"class":').Append($JE::JavaScriptStringEncode([string]$d.Class, $true))
      if ($null -ne $pp['DEVPKEY_PciDevice_ExpressSpecVersion']) { [void]$json.Append(',"expressSpecVersion":').Append([int]$pp['DEVPKEY_PciDevice_ExpressSpecVersion']) }
      if ($null -ne $pp['DEVPKEY_PciDevice_SriovSupport']) { [void]$json.Append(',"sriovSupport":').Append([int]$pp['DEVPKEY_PciDevice_SriovSupport']) }
      if ($null -ne $pp['DEVPKEY_Device_DriverInfPath']) { [void]$json.Append(',"driverInf":').Append($JE::JavaScriptStringEncode([string]$pp['DEVPKEY_Device_DriverInfPath'], $true)) }
      if ($null -ne $pp['DEVPKEY_Device_DriverVersion']) { [void]$json.Append(',"driverVersion":').Append($JE::JavaScriptStringEncode([string]$pp['DEVPKEY_Device_DriverVersion'], $true)) }
      [void]$json.Append('}')
    }

    if ($hyperV) {
      $op = 'Get-VMHostPartitionableGpu'
      foreach ($g in @(Get-VMHostPartitionableGpu)) {
        [void]$json.Append(',{"type":"gpu","host":').Append($hostJson).Append(',"name":').Append($JE::JavaScriptStringEncode([string]$g.Name, $true)).Append(',"validPartitionCounts":[').Append((@(foreach ($c in $g.ValidPartitionCounts) { [string][int]$c }) -join ',')).Append('],"partitionCount":').Append([int]$g.PartitionCount)
        if ($g.PSObject.Properties['SupportsIncomingLiveMigration'] -and $null -ne $g.SupportsIncomingLiveMigration) { [void]$json.Append(',"supportsIncomingLiveMigration":').Append($(if ($g.SupportsIncomingLiveMigration) { 'true' } else { 'false' })) }
        foreach ($k in $gpuKeys) {
          $x = $g.($k[0])
          [void]$json.Append($k[1]).Append($(if ($null -eq $x -or [string]$x -eq '') { 'null' } else { '"' + [string][UInt64]$x + '"' }))
        }
        [void]$json.Append(',"computerName":').Append($JE::JavaScriptStringEncode([string]$g.ComputerName, $true)).Append(',"isDeleted":').Append($(if ($g.IsDeleted) { 'true' } else { 'false' })).Append('}')
      }

      $op = 'Get-VM'
      $vms = @(Get-VM)
      foreach ($vm in $vms) {
        [void]$json.Append(',{"type":"vm","host":').Append($hostJson).Append(',"name":').Append($JE::JavaScriptStringEncode([string]$vm.Name, $true)).Append(',"id":"').Append(([string]$vm.Id).ToLowerInvariant()).Append('","state":').Append($JE::JavaScriptStringEncode([string]$vm.State, $true)).Append(',"generation":').Append([int]$vm.Generation)
        if ($vm.PSObject.Properties['AutomaticCheckpointsEnabled']) { [void]$json.Append(',"automaticCheckpointsEnabled":').Append($(if ($vm.AutomaticCheckpointsEnabled) { 'true' } else { 'false' })) }
        foreach ($k in @(@('LowMemoryMappedIoSpace', ',"lowMemoryMappedIoSpace":'), @('HighMemoryMappedIoSpace', ',"highMemoryMappedIoSpace":'))) {
          if ($vm.PSObject.Properties[$k[0]]) { $x = $vm.($k[0]); [void]$json.Append($k[1]).Append($(if ($null -eq $x -or [string]$x -eq '') { 'null' } else { '"' + [string][UInt64]$x + '"' })) }
        }
        if ($vm.PSObject.Properties['IsClustered']) { [void]$json.Append(',"isClustered":').Append($(if ($vm.IsClustered) { 'true' } else { 'false' })) }
        [void]$json.Append('}')
      }
      if ($vms.Count) {
        $op = 'Get-VMGpuPartitionAdapter'
        # -VM (the objects), never -VMName: VM names are wildcard patterns there ('[', '*').
        foreach ($a in @(Get-VMGpuPartitionAdapter -VM $vms)) {
          [void]$json.Append(',{"type":"adapter","host":').Append($hostJson)
          if ($null -ne $a.InstancePath -and [string]$a.InstancePath -ne '') { [void]$json.Append(',"instancePath":').Append($JE::JavaScriptStringEncode([string]$a.InstancePath, $true)) }
          foreach ($k in $adapterKeys) {
            $x = $a.($k[0])
            [void]$json.Append($k[1]).Append($(if ($null -eq $x -or [string]$x -eq '') { 'null' } else { '"' + [string][UInt64]$x + '"' }))
          }
          if ($null -ne $a.PartitionId) { [void]$json.Append(',"partitionId":').Append([int]$a.PartitionId) }
          if ($null -ne $a.PartitionVfLuid -and [string]$a.PartitionVfLuid -ne '') { [void]$json.Append(',"partitionVfLuid":').Append($JE::JavaScriptStringEncode([string]$a.PartitionVfLuid, $true)) }
          [void]$json.Append(',"name":').Append($JE::JavaScriptStringEncode([string]$a.Name, $true)).Append(',"id":').Append($JE::JavaScriptStringEncode([string]$a.Id, $true)).Append(',"vmId":"').Append(([string]$a.VMId).ToLowerInvariant()).Append('","vmName":').Append($JE::JavaScriptStringEncode([string]$a.VMName, $true))
          [void]$json.Append(',"vmSnapshotId":').Append($JE::JavaScriptStringEncode([string]$a.VMSnapshotId, $true)).Append(',"vmSnapshotName":').Append($JE::JavaScriptStringEncode([string]$a.VMSnapshotName, $true)).Append(',"computerName":').Append($JE::JavaScriptStringEncode([string]$a.ComputerName, $true))
          [void]$json.Append(',"isDeleted":').Append($(if ($a.IsDeleted) { 'true' } else { 'false' })).Append(',"vmCheckpointId":').Append($JE::JavaScriptStringEncode([string]$a.VMCheckpointId, $true)).Append(',"vmCheckpointName":').Append($JE::JavaScriptStringEncode([string]$a.VMCheckpointName, $true))
          if ($a.PSObject.Properties['SupportsOutgoingLiveMigration'] -and $null -ne $a.SupportsOutgoingLiveMigration) { [void]$json.Append(',"supportsOutgoingLiveMigration":').Append($(if ($a.SupportsOutgoingLiveMigration) { 'true' } else { 'false' })) }
          [void]$json.Append('}')
        }
      }
    }
  } catch {
    $msg = [string]$_.Exception.Message
    if ($_.ErrorDetails -and $_.ErrorDetails.Message) { $msg = [string]$_.ErrorDetails.Message }
    $err = [ordered]@{ host = $Node; target = $Node; op = $op; message = $msg; category = [string]$_.CategoryInfo.Category; fullyQualifiedErrorId = [string]$_.FullyQualifiedErrorId }
    [void]$json.Clear()
  }
  # One JSON text per node: the caller splices it into the envelope without re-reading it. Its hash
  # (SHA-256, hex) tells the caller whether anything changed: an equal hash sends nothing back.
  $text = '[' + $json.ToString() + ']'
  if ($null -ne $err) { return @{ records = '[]'; error = $err } }
  $sha = [System.Security.Cryptography.SHA256]::Create()
  try { $hash = [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($text))).Replace('-', '') } finally { $sha.Dispose() }
  if ($KnownHash -and $hash -eq $KnownHash) { return @{ records = '[]'; error = $null; hash = $hash; unchanged = $true } }
  @{ records = $text; error = $null; hash = $hash; unchanged = $false }
}

# --- what runs on a cluster node: the node list and each clustered VM's OfflineAction -----------
$clusterReader = {
  $ErrorActionPreference = 'Stop'
  $PSDefaultParameterValues = @{ '*:ErrorAction' = 'Stop' }
  $ProgressPreference = 'SilentlyContinue'
  # JSON text written directly, as in the node reader (one record per VM role: 512 at 16 servers).
  if (-not ('System.Web.HttpUtility' -as [type])) { Add-Type -AssemblyName System.Web }
  $JE = [System.Web.HttpUtility]
  $json = New-Object System.Text.StringBuilder 65536
  $result = @{ nodes = @(); cluster = $null; records = '[]'; error = $null; fatal = $false }
  try {
    $cn = @(Get-ClusterNode)
  } catch {
    $result.error = [ordered]@{ op = 'Get-ClusterNode'; message = [string]$_.Exception.Message; category = [string]$_.CategoryInfo.Category; fullyQualifiedErrorId = [string]$_.FullyQualifiedErrorId }
    $result.fatal = $true
    return $result
  }
  $names = New-Object System.Collections.Generic.List[string]
  foreach ($n in $cn) {
    if ($null -eq $result.cluster -and $n.PSObject.Properties['Cluster'] -and $n.Cluster) { $result.cluster = [string]$n.Cluster }
    if ($json.Length) { [void]$json.Append(',') }
    [void]$json.Append('{"type":"node","name":').Append($JE::JavaScriptStringEncode([string]$n.Name, $true)).Append(',"state":').Append($JE::JavaScriptStringEncode([string]$n.State, $true)).Append('}')
    $names.Add([string]$n.Name)
  }
  $result.nodes = $names.ToArray()
  # OfflineAction of each clustered VM (§1.9 [S17]), matched to its VM by VmID. A failure keeps the
  # node records and drops the half-written rest.
  $mark = $json.Length
  try {
    $res = @(foreach ($r in @(Get-ClusterResource)) { if ([string]$r.ResourceType -eq 'Virtual Machine') { $r } })
    if ($res.Count) {
      $byRes = @{}
      $order = New-Object System.Collections.Generic.List[string]
      foreach ($p in @($res | Get-ClusterParameter -Name OfflineAction, VmID)) {
        $rn = [string]$p.ClusterObject.Name
        $e = $byRes[$rn]
        if ($null -eq $e) { $e = @{ owner = [string]$p.ClusterObject.OwnerGroup; node = [string]$p.ClusterObject.OwnerNode }; $byRes[$rn] = $e; $order.Add($rn) }
        $e[[string]$p.Name] = $p.Value
      }
      foreach ($rn in $order) {
        $e = $byRes[$rn]
        if ($null -eq $e['OfflineAction']) { continue }
        [void]$json.Append(',{"type":"offlineAction","host":').Append($JE::JavaScriptStringEncode($e.node, $true)).Append(',"vmName":').Append($JE::JavaScriptStringEncode($e.owner, $true)).Append(',"resource":').Append($JE::JavaScriptStringEncode($rn, $true)).Append(',"value":').Append([int]$e['OfflineAction'])
        if ($null -ne $e['VmID']) { [void]$json.Append(',"vmId":').Append($JE::JavaScriptStringEncode(([string]$e['VmID']).ToLowerInvariant(), $true)) }
        [void]$json.Append('}')
      }
    }
  } catch {
    $json.Length = $mark
    $result.error = [ordered]@{ op = 'Get-ClusterParameter'; message = [string]$_.Exception.Message; category = [string]$_.CategoryInfo.Category; fullyQualifiedErrorId = [string]$_.FullyQualifiedErrorId }
  }
  $result.records = '[' + $json.ToString() + ']'
  $result
}

# --- in each runspace of the pool: one reader, remote (Invoke-Command) or here -----------------
$worker = {
  param([string]$Label, [string]$Computer, $Credential, [string]$Reader, [string]$Node, [string]$KnownHash)
  $ErrorActionPreference = 'Stop'
  $PSDefaultParameterValues = @{ '*:ErrorAction' = 'Stop' }
  $InformationPreference = 'Continue'
  $op = 'Invoke-Command'
  try {
    Write-GpupInfo $Label 'Reading'
    $sb = [ScriptBlock]::Create($Reader)
    $args_ = @(); if ($Node) { $args_ = @($Node, $KnownHash) }
    if ($Computer) {
      $ic = @{ ComputerName = $Computer; ScriptBlock = $sb; ArgumentList = $args_ }
      if ($Credential) { $ic.Credential = $Credential }
      $res = @(Invoke-Command @ic)
    } else {
      $res = @(& $sb @args_)
    }
    # The first dictionary (a foreach, not a pipeline: this runs once per node on every read).
    $r = $null
    foreach ($x in $res) { if ($x -is [System.Collections.IDictionary]) { $r = $x; break } }
    if ($null -eq $r) { throw 'the reader returned nothing' }
    if ($r['error']) { Write-GpupInfo $Label ('Failed: ' + [string]$r['error']['message']) } else { Write-GpupInfo $Label 'Read' }
    $r
  } catch {
    Write-GpupInfo $Label ('Failed: ' + $_.Exception.Message)
    @{ records = '[]'; error = (ConvertTo-GpupError $_ $Label $Label $op); fatal = $true; nodes = @() }
  }
}

# The worker runspaces get the helpers they use, and the module that provides Get-VM & co. when it
# is a loaded script module (the emulation); a real host's modules autoload by themselves. The pool
# is kept open in this long-lived process (opening one costs more than a warm read), keyed by what
# its runspaces were given.
$moduleToImport = $null
$provider = Get-Command Get-VMHostPartitionableGpu -ErrorAction SilentlyContinue
if ($provider -and $provider.Module -and $provider.Module.ModuleType -eq 'Script' -and $provider.Module.Path) {
  $manifest = [IO.Path]::ChangeExtension($provider.Module.Path, '.psd1')
  $moduleToImport = if (Test-Path -LiteralPath $manifest) { $manifest } else { $provider.Module.Path }
}
# One more runspace than the throttle: the cluster reader does not take a node's turn.
$max = $throttle + 1
$poolKey = "$max|$moduleToImport"
$pool = $null
$cached = Get-Variable -Name GpupInventoryPool -Scope Global -ValueOnly -ErrorAction SilentlyContinue
if ($cached -and $cached.key -eq $poolKey -and [string]$cached.pool.RunspacePoolStateInfo.State -eq 'Opened') {
  $pool = $cached.pool
} else {
  if ($cached) { try { $cached.pool.Dispose() } catch { } }
  $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
  foreach ($f in @('Write-GpupInfo', 'ConvertTo-GpupError', 'Get-GpupNow')) {
    $iss.Commands.Add((New-Object System.Management.Automation.Runspaces.SessionStateFunctionEntry($f, (Get-Item "function:$f").ScriptBlock.ToString())))
  }
  if ($moduleToImport) { $iss.ImportPSModule($moduleToImport) }
  $pool = [RunspaceFactory]::CreateRunspacePool($iss)
  [void]$pool.SetMaxRunspaces($max)
  $pool.Open()
  $global:GpupInventoryPool = @{ key = $poolKey; pool = $pool }
}

$jobs = New-Object System.Collections.Generic.List[object]
$workerText = $worker.ToString()
$nodeReaderText = $nodeReader.ToString()
function Start-GpupReader([string]$Kind, [string]$Label, [string]$Computer, [string]$Reader, [string]$Node) {
  $kh = $null
  if ($Node -and $null -ne $knownHashes) { $kh = Get-GpupParam $knownHashes $Node.ToUpperInvariant() }
  $ps = [PowerShell]::Create()
  $ps.RunspacePool = $pool
  [void]$ps.AddScript($workerText).AddArgument($Label).AddArgument($Computer).AddArgument($cred).AddArgument($Reader).AddArgument($Node).AddArgument([string]$kh)
  $jobs.Add(@{ kind = $Kind; node = $Label; ps = $ps; handle = $ps.BeginInvoke(); result = $null; done = $false })
}

$clusterJob = $null
$started = @{}
try {
  if ($kind -eq 'cluster') {
    Write-GpupInfo $label 'Reading cluster nodes'
    Start-GpupReader 'cluster' $label $clusterComputer $clusterReader.ToString() $null
    $clusterJob = $jobs[0]
  }
  foreach ($n in $nodes) {
    if ($started.ContainsKey($n.ToUpperInvariant())) { continue }
    $started[$n.ToUpperInvariant()] = $true
    Start-GpupReader 'node' $n $n $nodeReaderText $n
  }
  # Relay each worker's information records as they arrive, so progress streams while nodes are read;
  # wake as soon as any reader finishes (no polling delay on the critical path).
  while ($true) {
    $pending = New-Object System.Collections.Generic.List[System.Threading.WaitHandle]
    for ($i = 0; $i -lt $jobs.Count; $i++) {
      $j = $jobs[$i]
      foreach ($x in $j.ps.Streams.Information.ReadAll()) { Write-Information -MessageData $x.MessageData -Tags $x.Tags }
      if ($j.done) { continue }
      if (-not $j.handle.IsCompleted) { if ($pending.Count -lt 64) { $pending.Add($j.handle.AsyncWaitHandle) }; continue }
      $j.done = $true
      try {
        $j.result = $null
        foreach ($x in @($j.ps.EndInvoke($j.handle))) { if ($x -is [System.Collections.IDictionary]) { $j.result = $x; break } }
      } catch {
        $j.result = @{ records = '[]'; error = (ConvertTo-GpupError $_ $j.node $j.node 'runspace'); fatal = $true; nodes = @() }
      }
      if ($null -eq $j.result) {
        $e = @($j.ps.Streams.Error)
        $msg = if ($e.Count) { [string]$e[0].Exception.Message } else { 'the node reader returned nothing' }
        $j.result = @{ records = '[]'; error = [ordered]@{ host = $j.node; target = $j.node; op = 'runspace'; message = $msg }; fatal = $true; nodes = @() }
      }
      if ($j.kind -eq 'cluster' -and $only.Count -eq 0 -and -not $j.result['fatal']) {
        # The cluster's own node list wins over the guess: read the nodes nobody guessed now.
        $nodes = @($j.result['nodes'] | ForEach-Object { [string]$_ })
        foreach ($n in $nodes) {
          if ($started.ContainsKey($n.ToUpperInvariant())) { continue }
          $started[$n.ToUpperInvariant()] = $true
          Start-GpupReader 'node' $n $n $nodeReaderText $n
        }
      }
    }
    if ($pending.Count -eq 0) { break }
    [void][System.Threading.WaitHandle]::WaitAny($pending.ToArray(), 250)
  }
} finally {
  foreach ($j in $jobs) { $j.ps.Dispose() }
}

# --- one envelope; each reader's JSON text is spliced in as it came -------------------------------
$parts = New-Object System.Collections.Generic.List[string]
$ok = $true
if ($null -ne $clusterJob) {
  $r = $clusterJob.result
  if ($r['fatal']) {
    $e = $r['error']
    $errors.Add([ordered]@{ host = $label; target = $label; op = 'Get-ClusterNode'; message = [string]$e['message']; category = [string]$e['category']; fullyQualifiedErrorId = [string]$e['fullyQualifiedErrorId'] })
    $ok = $false
  } else {
    $clusterName = if ($r['cluster']) { [string]$r['cluster'] } else { $label }
    $parts.Add((ConvertTo-Json -InputObject ([ordered]@{ type = 'cluster'; name = $clusterName }) -Compress))
    if ($r['error']) {
      $e = $r['error']
      $errors.Add([ordered]@{ host = $clusterName; target = $clusterName; op = [string]$e['op']; message = [string]$e['message']; category = [string]$e['category']; fullyQualifiedErrorId = [string]$e['fullyQualifiedErrorId'] })
    }
  }
}
$read = New-Object System.Collections.Generic.List[object]
if ($ok) {
  $byNode = @{}
  foreach ($j in $jobs) { if ($j.kind -eq 'node') { $byNode[$j.node.ToUpperInvariant()] = $j.result } }
  foreach ($n in $nodes) {
    $r = $byNode[$n.ToUpperInvariant()]
    if ($null -eq $r) { continue }
    $t = [string]$r['records']
    if ($t.Length -gt 2) { $parts.Add($t.Substring(1, $t.Length - 2)) }
    if ($r['error']) { $errors.Add($r['error']) }
    elseif ($r['hash']) { $read.Add([ordered]@{ host = $n; hash = [string]$r['hash']; unchanged = [bool]$r['unchanged'] }) }
  }
  if ($null -ne $clusterJob) {
    # Node records and OfflineActions (the cluster reader's), after the nodes' own records.
    $t = [string]$clusterJob.result['records']
    if ($t.Length -gt 2) { $parts.Add($t.Substring(1, $t.Length - 2)) }
  }
}
'{"ok":' + $(if ($ok) { 'true' } else { 'false' }) + ',"records":[' + ($parts -join ',') + '],"errors":' + (ConvertTo-Json -InputObject ([object[]]$errors.ToArray()) -Depth 4 -Compress) + ',"nodes":' + (ConvertTo-Json -InputObject ([object[]]$read.ToArray()) -Depth 3 -Compress) + '}'
