# inventory.ps1: reads a cluster (Get-ClusterNode) or a standalone server; per node, in parallel
# (RunspacePool, throttled): host facts (CIM), display devices and their PnP properties, partitionable
# GPUs, VMs and their GPU partition adapters; then each clustered VM's OfflineAction.
#
# $Params: { target: { kind: 'cluster'|'server', name?: string }, servers?: string[],
#            credential?: { userName, password }, throttle?: number }
# Output: one envelope { ok, records, errors } of flat records (src/hyperv/schemas.ts).
# Remote nodes go through the cmdlets' own remoting: one CIM session per node (Get-PnpDevice has
# only -CimSession), FailoverClusters through -Cluster (those cmdlets have no -Credential).

$target = Get-GpupParam $Params 'target'
$kind = [string](Get-GpupParam $target 'kind' 'server')
$targetName = Get-GpupParam $target 'name'
$only = @(Get-GpupParam $Params 'servers' @())
$throttle = [int](Get-GpupParam $Params 'throttle' 8)
if ($throttle -lt 1) { $throttle = 1 }
$cred = Get-GpupCredential $Params

$records = New-Object System.Collections.Generic.List[object]
$errors = New-Object System.Collections.Generic.List[object]
$clusterName = $null
$nodes = @()

$cn = $null
if ($kind -eq 'auto') {
  # The local node: a cluster member when Get-ClusterNode answers, else a standalone server.
  Write-GpupInfo '(local)' 'Reading cluster nodes'
  $kind = 'server'
  try { $cn = @(Get-ClusterNode -ErrorAction Stop); $kind = 'cluster' } catch { }
  if ($kind -eq 'server' -and -not $targetName) { $targetName = [string]@(Get-CimInstance -ClassName Win32_OperatingSystem)[0].CSName }
}
if ($kind -eq 'cluster') {
  $label = if ($targetName) { [string]$targetName } else { '(local cluster)' }
  try {
    if ($null -eq $cn) {
      Write-GpupInfo $label 'Reading cluster nodes'
      $ca = @{}
      if ($targetName) { $ca.Cluster = [string]$targetName }
      $cn = @(Get-ClusterNode @ca)
    }
  } catch {
    $errors.Add((ConvertTo-GpupError $_ $label $label 'Get-ClusterNode'))
    Write-GpupEnvelope $false $records $errors
    return
  }
  foreach ($n in $cn) {
    if ($null -eq $clusterName -and $n.PSObject.Properties['Cluster'] -and $n.Cluster) { $clusterName = [string]$n.Cluster }
    $records.Add([ordered]@{ type = 'node'; name = [string]$n.Name; state = [string]$n.State })
  }
  if ($null -eq $clusterName) { $clusterName = $label }
  $records.Add([ordered]@{ type = 'cluster'; name = $clusterName })
  $nodes = @($cn | ForEach-Object { [string]$_.Name })
} else {
  if (-not $targetName) { $targetName = $env:COMPUTERNAME }
  $nodes = @([string]$targetName)
}
if ($only.Count -gt 0) { $nodes = @($only | ForEach-Object { [string]$_ }) }

# --- per node, in its own runspace -------------------------------------------------------------
$worker = {
  param([string]$Node, $Credential)
  $ErrorActionPreference = 'Stop'
  $PSDefaultParameterValues = @{ '*:ErrorAction' = 'Stop' }
  $InformationPreference = 'Continue'
  $out = New-Object System.Collections.Generic.List[object]
  $op = 'New-CimSession'
  $session = $null
  try {
    Write-GpupInfo $Node 'Connecting'
    $cs = @{ ComputerName = $Node }
    if ($Credential) { $cs.Credential = $Credential }
    $session = New-CimSession @cs

    $op = 'Get-CimInstance'
    $os = @(Get-CimInstance -CimSession $session -ClassName Win32_OperatingSystem)[0]
    $feature = @(Get-CimInstance -CimSession $session -ClassName Win32_OptionalFeature -Filter "Name='Microsoft-Hyper-V'")
    $hyperV = ($feature.Count -gt 0 -and [int]$feature[0].InstallState -eq 1)
    $op = 'Invoke-CimMethod'
    $policy = @{}
    foreach ($v in @('RequireSecureDeviceAssignment', 'RequireSupportedDeviceAssignment')) {
      # HKLM (0x80000002) \SOFTWARE\Policies\Microsoft\Windows\HyperV (domain doc §1.7 [COMMUNITY S46]).
      $r = Invoke-CimMethod -CimSession $session -Namespace 'root/default' -ClassName 'StdRegProv' -MethodName 'GetDWORDValue' -Arguments @{ hDefKey = [uint32]2147483650; sSubKeyName = 'SOFTWARE\Policies\Microsoft\Windows\HyperV'; sValueName = $v }
      $policy[$v] = ($null -ne $r -and [int]$r.ReturnValue -eq 0 -and [int]$r.uValue -ne 0)
    }
    $op = 'Get-CimInstance'
    $drivers = @(Get-CimInstance -CimSession $session -ClassName Win32_PnPSignedDriver -Filter "DeviceClass='DISPLAY'")
    $nv = @($drivers | Where-Object { [string]$_.DriverProviderName -match 'NVIDIA' })
    $driver = if ($nv.Count) { $nv[0] } elseif ($drivers.Count) { $drivers[0] } else { $null }
    $facts = [ordered]@{ type = 'hostFacts'; host = $Node; osCaption = [string]$os.Caption; osBuild = [int]$os.BuildNumber; hyperVInstalled = $hyperV }
    # IOMMU DMA bit tracking (§1.10 [S3]) has no documented query; it is left unknown.
    $facts.requireSecureDeviceAssignment = $policy['RequireSecureDeviceAssignment']
    $facts.requireSupportedDeviceAssignment = $policy['RequireSupportedDeviceAssignment']
    if ($driver) { $facts.hostDriverVersion = [string]$driver.DriverVersion }
    $out.Add($facts)

    Write-GpupInfo $Node 'Reading display devices'
    $op = 'Get-PnpDevice'
    # -Class System too: a DDA-dismounted GPU leaves the Display class (domain doc §3 [S16]).
    $devs = @(Get-PnpDevice -CimSession $session -Class Display, System | Where-Object { $_.Class -eq 'Display' -or ([string]$_.InstanceId).StartsWith('PCI\') })
    $props = @{}
    if ($devs.Count) {
      $op = 'Get-PnpDeviceProperty'
      $ids = @($devs | ForEach-Object { [string]$_.InstanceId })
      foreach ($p in @(Get-PnpDeviceProperty -CimSession $session -InstanceId $ids -KeyName DEVPKEY_PciDevice_ExpressSpecVersion, DEVPKEY_PciDevice_SriovSupport, DEVPKEY_Device_DriverInfPath, DEVPKEY_Device_DriverVersion, DEVPKEY_Device_CompatibleIds)) {
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
      $rec = [ordered]@{ type = 'pnp'; host = $Node; instanceId = [string]$d.InstanceId; friendlyName = [string]$d.FriendlyName; manufacturer = [string]$d.Manufacturer; status = [string]$d.Status; class = [string]$d.Class }
      if ($null -ne $pp['DEVPKEY_PciDevice_ExpressSpecVersion']) { $rec.expressSpecVersion = [int]$pp['DEVPKEY_PciDevice_ExpressSpecVersion'] }
      if ($null -ne $pp['DEVPKEY_PciDevice_SriovSupport']) { $rec.sriovSupport = [int]$pp['DEVPKEY_PciDevice_SriovSupport'] }
      if ($null -ne $pp['DEVPKEY_Device_DriverInfPath']) { $rec.driverInf = [string]$pp['DEVPKEY_Device_DriverInfPath'] }
      if ($null -ne $pp['DEVPKEY_Device_DriverVersion']) { $rec.driverVersion = [string]$pp['DEVPKEY_Device_DriverVersion'] }
      $out.Add($rec)
    }

    if ($hyperV) {
      Write-GpupInfo $Node 'Reading partitionable GPUs'
      $op = 'Get-VMHostPartitionableGpu'
      foreach ($g in @(Get-VMHostPartitionableGpu -CimSession $session)) {
        $rec = [ordered]@{ type = 'gpu'; host = $Node; name = [string]$g.Name; validPartitionCounts = @($g.ValidPartitionCounts | ForEach-Object { [int]$_ }); partitionCount = [int]$g.PartitionCount }
        if ($g.PSObject.Properties['SupportsIncomingLiveMigration'] -and $null -ne $g.SupportsIncomingLiveMigration) { $rec.supportsIncomingLiveMigration = [bool]$g.SupportsIncomingLiveMigration }
        foreach ($k in @('TotalVRAM', 'AvailableVRAM', 'MinPartitionVRAM', 'MaxPartitionVRAM', 'OptimalPartitionVRAM', 'TotalEncode', 'AvailableEncode', 'MinPartitionEncode', 'MaxPartitionEncode', 'OptimalPartitionEncode', 'TotalDecode', 'AvailableDecode', 'MinPartitionDecode', 'MaxPartitionDecode', 'OptimalPartitionDecode', 'TotalCompute', 'AvailableCompute', 'MinPartitionCompute', 'MaxPartitionCompute', 'OptimalPartitionCompute')) {
          $rec[$k.Substring(0, 1).ToLowerInvariant() + $k.Substring(1)] = ConvertTo-GpupU64 $g.$k
        }
        $rec.computerName = [string]$g.ComputerName
        $rec.isDeleted = [bool]$g.IsDeleted
        $out.Add($rec)
      }

      Write-GpupInfo $Node 'Reading virtual machines'
      $op = 'Get-VM'
      $vms = @(Get-VM -CimSession $session)
      foreach ($vm in $vms) {
        $rec = [ordered]@{ type = 'vm'; host = $Node; name = [string]$vm.Name; id = ([string]$vm.Id).ToLowerInvariant(); state = [string]$vm.State; generation = [int]$vm.Generation }
        if ($vm.PSObject.Properties['AutomaticCheckpointsEnabled']) { $rec.automaticCheckpointsEnabled = [bool]$vm.AutomaticCheckpointsEnabled }
        if ($vm.PSObject.Properties['LowMemoryMappedIoSpace']) { $rec.lowMemoryMappedIoSpace = ConvertTo-GpupU64 $vm.LowMemoryMappedIoSpace }
        if ($vm.PSObject.Properties['HighMemoryMappedIoSpace']) { $rec.highMemoryMappedIoSpace = ConvertTo-GpupU64 $vm.HighMemoryMappedIoSpace }
        if ($vm.PSObject.Properties['IsClustered']) { $rec.isClustered = [bool]$vm.IsClustered }
        $out.Add($rec)
      }
      if ($vms.Count) {
        $op = 'Get-VMGpuPartitionAdapter'
        Write-GpupInfo $Node 'Reading GPU partition adapters'
        # -VM (the objects), never -VMName: VM names are wildcard patterns there ('[', '*').
        foreach ($a in @(Get-VMGpuPartitionAdapter -VM $vms)) {
          $ar = [ordered]@{ type = 'adapter'; host = $Node }
          if ($null -ne $a.InstancePath -and [string]$a.InstancePath -ne '') { $ar.instancePath = [string]$a.InstancePath }
          foreach ($r in @('VRAM', 'Encode', 'Decode', 'Compute')) {
            foreach ($m in @('Current', 'Min', 'Max', 'Optimal')) {
              $name = "${m}Partition$r"
              $ar[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = ConvertTo-GpupU64 $a.$name
            }
          }
          if ($null -ne $a.PartitionId) { $ar.partitionId = [int]$a.PartitionId }
          if ($null -ne $a.PartitionVfLuid -and [string]$a.PartitionVfLuid -ne '') { $ar.partitionVfLuid = [string]$a.PartitionVfLuid }
          $ar.name = [string]$a.Name
          $ar.id = [string]$a.Id
          $ar.vmId = ([string]$a.VMId).ToLowerInvariant()
          $ar.vmName = [string]$a.VMName
          $ar.vmSnapshotId = [string]$a.VMSnapshotId
          $ar.vmSnapshotName = [string]$a.VMSnapshotName
          $ar.computerName = [string]$a.ComputerName
          $ar.isDeleted = [bool]$a.IsDeleted
          $ar.vmCheckpointId = [string]$a.VMCheckpointId
          $ar.vmCheckpointName = [string]$a.VMCheckpointName
          if ($a.PSObject.Properties['SupportsOutgoingLiveMigration'] -and $null -ne $a.SupportsOutgoingLiveMigration) { $ar.supportsOutgoingLiveMigration = [bool]$a.SupportsOutgoingLiveMigration }
          $out.Add($ar)
        }
      }
    }
    Write-GpupInfo $Node 'Read'
    @{ records = $out.ToArray(); error = $null }
  } catch {
    Write-GpupInfo $Node ("Failed: " + $_.Exception.Message)
    @{ records = @(); error = (ConvertTo-GpupError $_ $Node $Node $op) }
  } finally {
    if ($session) { try { Remove-CimSession -CimSession $session -ErrorAction SilentlyContinue } catch { } }
  }
}

# The worker runspaces get the helpers they use, and the module that provides Get-VM & co. when it
# is a loaded script module (the emulation); a real host's Hyper-V module autoloads by itself. The
# pool lives on in this long-lived process (modules stay loaded between refreshes).
$modulePath = $null
$provider = Get-Command Get-VMHostPartitionableGpu -ErrorAction SilentlyContinue
if ($provider -and $provider.Module -and $provider.Module.ModuleType -eq 'Script' -and $provider.Module.Path) {
  $modulePath = [IO.Path]::ChangeExtension($provider.Module.Path, '.psd1')
  if (-not (Test-Path -LiteralPath $modulePath)) { $modulePath = $provider.Module.Path }
}
$max = [Math]::Max(1, $throttle)
$poolKey = "$max|$modulePath"
$pool = $null
$cached = Get-Variable -Name GpupInventoryPool -Scope Global -ValueOnly -ErrorAction SilentlyContinue
if ($cached -and $cached.key -eq $poolKey -and $cached.pool.RunspacePoolStateInfo.State -eq 'Opened') {
  $pool = $cached.pool
} else {
  if ($cached) { try { $cached.pool.Dispose() } catch { } }
  $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()
  foreach ($f in @('Write-GpupInfo', 'ConvertTo-GpupU64', 'ConvertTo-GpupError', 'Get-GpupNow')) {
    $iss.Commands.Add((New-Object System.Management.Automation.Runspaces.SessionStateFunctionEntry($f, (Get-Item "function:$f").ScriptBlock.ToString())))
  }
  if ($modulePath) { $iss.ImportPSModule($modulePath) }
  $pool = [RunspaceFactory]::CreateRunspacePool($iss)
  [void]$pool.SetMaxRunspaces($max)
  $pool.Open()
  $global:GpupInventoryPool = @{ key = $poolKey; pool = $pool }
}
$jobs = @()
try {
  foreach ($n in $nodes) {
    $ps = [PowerShell]::Create()
    $ps.RunspacePool = $pool
    [void]$ps.AddScript($worker.ToString()).AddArgument($n).AddArgument($cred)
    $jobs += , @{ node = $n; ps = $ps; handle = $ps.BeginInvoke() }
  }
  # Relay each worker's information records as they arrive, so progress streams while nodes are read.
  $pending = $true
  while ($pending) {
    $pending = $false
    foreach ($j in $jobs) {
      foreach ($i in $j.ps.Streams.Information.ReadAll()) { Write-Information -MessageData $i.MessageData -Tags $i.Tags }
      if (-not $j.handle.IsCompleted) { $pending = $true }
    }
    if ($pending) { Start-Sleep -Milliseconds 20 }
  }
  foreach ($j in $jobs) {
    foreach ($i in $j.ps.Streams.Information.ReadAll()) { Write-Information -MessageData $i.MessageData -Tags $i.Tags }
    $res = $null
    try {
      $res = @($j.ps.EndInvoke($j.handle))
    } catch {
      $errors.Add((ConvertTo-GpupError $_ $j.node $j.node 'runspace'))
      continue
    }
    $r = $res | Where-Object { $_ -is [hashtable] } | Select-Object -First 1
    if ($null -eq $r) {
      $e = @($j.ps.Streams.Error)
      $msg = if ($e.Count) { [string]$e[0].Exception.Message } else { 'the node reader returned nothing' }
      $errors.Add([ordered]@{ host = $j.node; target = $j.node; op = 'runspace'; message = $msg })
      continue
    }
    foreach ($x in $r.records) { $records.Add($x) }
    if ($r.error) { $errors.Add($r.error) }
  }
} finally {
  foreach ($j in $jobs) { $j.ps.Dispose() }
}

# --- OfflineAction of each clustered VM (§1.9 [S17]), matched to its VM by VmID -----------------
if ($kind -eq 'cluster') {
  Write-GpupInfo $clusterName 'Reading cluster resources'
  try {
    $ca = @{}
    if ($targetName) { $ca.Cluster = [string]$targetName }
    $res = @(Get-ClusterResource @ca | Where-Object { [string]$_.ResourceType -eq 'Virtual Machine' })
    if ($res.Count) {
      $byRes = @{}
      foreach ($p in @($res | Get-ClusterParameter -Name OfflineAction, VmID)) {
        $rn = [string]$p.ClusterObject.Name
        if (-not $byRes.ContainsKey($rn)) { $byRes[$rn] = @{ owner = [string]$p.ClusterObject.OwnerGroup; node = [string]$p.ClusterObject.OwnerNode } }
        $byRes[$rn][[string]$p.Name] = $p.Value
      }
      foreach ($rn in $byRes.Keys) {
        $e = $byRes[$rn]
        if ($null -eq $e['OfflineAction']) { continue }
        $rec = [ordered]@{ type = 'offlineAction'; host = $e.node; vmName = $e.owner; resource = $rn; value = [int]$e['OfflineAction'] }
        if ($null -ne $e['VmID']) { $rec.vmId = ([string]$e['VmID']).ToLowerInvariant() }
        $records.Add($rec)
      }
    }
  } catch {
    $errors.Add((ConvertTo-GpupError $_ $clusterName $clusterName 'Get-ClusterParameter'))
  }
}

Write-GpupEnvelope $true $records $errors
