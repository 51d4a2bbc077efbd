# assign.ps1: the WAC sequence per VM (domain doc §2 [S2]): stop a running VM, add a GPU partition
# adapter (-InstancePath when a GPU is chosen, §1.3), set OfflineAction 3 when asked (§1.9), start it
# again. A failure rolls the VM back (adapter removed, OfflineAction restored, started again if it was
# running); one VM's failure does not stop the others. A cancel or timeout request (the runner's
# cancel file, _common.ps1) is honoured between steps: the current VM is rolled back the same way and
# the VMs not yet begun are left alone (items with interrupted + notStarted).
#
# $Params: { server, vms: string[], gpu?: string, forceShutdownOfflineAction?: bool, cluster?: string,
#            credential?: { userName, password }, whatIf?: bool }
# Output: { ok, records: [step..., item...], errors }; with whatIf only the steps, nothing changed.

$server = [string](Get-GpupParam $Params 'server')
$names = @(Get-GpupParam $Params 'vms' @())
$gpu = Get-GpupParam $Params 'gpu'
$force = [bool](Get-GpupParam $Params 'forceShutdownOfflineAction' $false)
$cluster = Get-GpupParam $Params 'cluster'
$whatIf = [bool](Get-GpupParam $Params 'whatIf' $false)
$cred = Get-GpupCredential $Params
$records = New-Object System.Collections.Generic.List[object]
$errors = New-Object System.Collections.Generic.List[object]
$stopReason = $null

foreach ($name in $names) {
  $name = [string]$name
  $done = New-Object System.Collections.Generic.List[string]
  $initial = $null
  $item = New-GpupItem $server $name $(if ($whatIf) { $null } else { $stopReason })
  if ($item.notStarted) {
    $records.Add($item)
    continue
  }
  $step = 'read'
  try {
    if (-not $whatIf) { Assert-GpupNotCancelled }
    $vm = Find-GpupVm $server $cred $name
    $initial = [string]$vm.State
    $item.initialState = $initial
    $cycle = ($initial -eq 'Running')
    $res = $null
    $setOffline = $false
    if ($force) {
      $res = Find-GpupClusterResource ([string]$cluster) ([string]$vm.Id)
      if ($null -eq $res) { throw "The virtual machine `"$name`" is not a clustered role; its offline action cannot be set." }
      $setOffline = ($res.offlineAction -ne 3)
    }
    $plan = @()
    if ($cycle) { $plan += 'stop-vm' }
    $plan += 'add-adapter'
    if ($setOffline) { $plan += 'set-offline-action' }
    if ($cycle) { $plan += 'start-vm' }
    foreach ($a in $plan) {
      $extra = $null
      if ($a -eq 'add-adapter') { $extra = $gpu }
      if ($a -eq 'set-offline-action') { $extra = $cluster }
      $records.Add((New-GpupStep $server $name $a (Get-GpupCommand $a $server $name $extra)))
    }
    if ($whatIf) { continue }

    $added = $null
    if ($cycle) {
      Assert-GpupNotCancelled
      $step = 'stop-vm'
      Write-GpupInfo $server "Stopping VM $name" $name $step
      Stop-VM -VM $vm -Force
      $done.Add($step)
    }
    Assert-GpupNotCancelled
    $step = 'add-adapter'
    Write-GpupInfo $server "Adding a GPU partition adapter to $name" $name $step
    $add = @{ VM = $vm; Passthru = $true }
    if ($gpu) { $add.InstancePath = [string]$gpu }
    $added = @(Add-VMGpuPartitionAdapter @add)
    $done.Add($step)
    if ($setOffline) {
      Assert-GpupNotCancelled
      $step = 'set-offline-action'
      Write-GpupInfo $server "Setting the offline action of $name to Shutdown (Forced)" $name $step
      $res.resource | Set-ClusterParameter -Name OfflineAction -Value 3
      $done.Add($step)
    }
    if ($cycle) {
      Assert-GpupNotCancelled
      $step = 'start-vm'
      Write-GpupInfo $server "Starting VM $name" $name $step
      Start-VM -VM $vm
      $done.Add($step)
    }
    $item.ok = $true
    Write-GpupInfo $server "Assigned a GPU partition to $name" $name 'done'
  } catch {
    $why = Set-GpupItemFailure $item $_ $server $name $step $done $errors
    if ($why) { $stopReason = $why }
    if ($done.Count -gt 0) {
      # Roll back in reverse so the VM ends as it began.
      $rb = $true
      try {
        if ($done.Contains('set-offline-action') -and $null -ne $res.offlineAction) { $res.resource | Set-ClusterParameter -Name OfflineAction -Value ([int]$res.offlineAction) }
      } catch { $rb = $false; $errors.Add((ConvertTo-GpupError $_ $server $name 'rollback')) }
      try {
        if ($done.Contains('add-adapter') -and $added) {
          if ([string](Find-GpupVm $server $cred $name).State -eq 'Running') { Stop-VM -VM $vm -Force }
          foreach ($x in $added) { $x | Remove-VMGpuPartitionAdapter }
        }
      } catch { $rb = $false; $errors.Add((ConvertTo-GpupError $_ $server $name 'rollback')) }
      try {
        if ($initial -eq 'Running' -and [string](Find-GpupVm $server $cred $name).State -ne 'Running') {
          Write-GpupInfo $server "Rolling back: starting VM $name again" $name
          Start-VM -VM $vm
        }
      } catch { $rb = $false; $errors.Add((ConvertTo-GpupError $_ $server $name 'rollback')) }
      $item.rolledBack = $rb
    }
  }
  if ($whatIf) { continue }
  $item.completedSteps = [string[]]$done.ToArray()
  $fs = Get-GpupVmState $server $cred $name
  if ($fs) { $item.finalState = $fs }
  $records.Add($item)
}

$extra = $null
if ($stopReason) { $extra = @{ interrupted = $stopReason } }
Write-GpupEnvelope ($errors.Count -eq 0 -and -not $stopReason) $records $errors $extra
