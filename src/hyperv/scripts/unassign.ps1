# unassign.ps1: per VM, stop it if running, remove its GPU partition adapters (domain doc §1.6),
# start it again (the WAC sequence, §2 [S2]). A failure rolls back (adapters re-added, VM started
# again if it was running); one VM's failure does not stop the others. A cancel or timeout request
# (the runner's cancel file, _common.ps1) is honoured between steps, as in assign.ps1.
#
# $Params: { server, vms: string[], credential?: { userName, password }, whatIf?: bool }
# Output: { ok, records: [step..., item...], errors }; with whatIf only the steps, nothing changed.

$server = [string](Get-GpupParam $Params 'server')
$names = @(Get-GpupParam $Params 'vms' @())
$whatIf = [bool](Get-GpupParam $Params 'whatIf' $false)
$cred = Get-GpupCredential $Params
$records = New-Object System.Collections.Generic.List[object]
$errors = New-Object System.Collections.Generic.List[object]
$stopReason = $null

foreach ($name in $names) {
  $name = [string]$name
  $done = New-Object System.Collections.Generic.List[string]
  $initial = $null
  $removed = @()
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
    $plan = @()
    if ($cycle) { $plan += 'stop-vm' }
    $plan += 'remove-adapter'
    if ($cycle) { $plan += 'start-vm' }
    foreach ($a in $plan) { $records.Add((New-GpupStep $server $name $a (Get-GpupCommand $a $server $name))) }
    if ($whatIf) { continue }

    $adapters = @(Get-VMGpuPartitionAdapter -VM $vm)
    if ($adapters.Count -eq 0) { throw 'Unable to find a Gpu partition adapter matching the given criteria.' }
    if ($cycle) {
      Assert-GpupNotCancelled
      $step = 'stop-vm'
      Write-GpupInfo $server "Stopping VM $name" $name $step
      Stop-VM -VM $vm -Force
      $done.Add($step)
    }
    Assert-GpupNotCancelled
    $step = 'remove-adapter'
    Write-GpupInfo $server "Removing the GPU partition adapter of $name" $name $step
    foreach ($x in $adapters) {
      $x | Remove-VMGpuPartitionAdapter
      $removed += , $x
    }
    $done.Add($step)
    if ($cycle) {
      Assert-GpupNotCancelled
      $step = 'start-vm'
      Write-GpupInfo $server "Starting VM $name" $name $step
      Start-VM -VM $vm
      $done.Add($step)
    }
    $item.ok = $true
    Write-GpupInfo $server "Unassigned the GPU partition of $name" $name 'done'
  } catch {
    $why = Set-GpupItemFailure $item $_ $server $name $step $done $errors
    if ($why) { $stopReason = $why }
    if ($done.Count -gt 0 -or $removed.Count -gt 0) {
      $rb = $true
      try {
        if ($removed.Count -gt 0) {
          if ([string](Find-GpupVm $server $cred $name).State -eq 'Running') { Stop-VM -VM $vm -Force }
          foreach ($x in $removed) {
            $add = @{ VM = $vm }
            if ($x.InstancePath) { $add.InstancePath = [string]$x.InstancePath }
            Add-VMGpuPartitionAdapter @add
          }
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
