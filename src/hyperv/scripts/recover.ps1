# recover.ps1: puts VMs back as they were before an assign/unassign that was stopped mid-step (a
# timeout or a cancel the script did not honour in time, a crashed or killed PowerShell). It runs in
# a FRESH process (src/hyperv/hypervBackend.ts). The caller passes each VM's state before the
# operation (from the plan's inventory); this compares it with now and undoes the difference:
# adapters the operation added are removed, adapters it removed are added back with their
# InstancePath (domain doc §1.3), OfflineAction is restored (§1.9), and a VM that was Running is
# started again (architecture.md: "nothing leaves a VM off that was on"). Idempotent: a VM already
# as it was is left alone. Each part is tried on its own, so a VM is started again even when its
# adapter could not be put back.
#
# $Params: { items: [{ server, vm, initialState, adapters: [{ id, instancePath? }], offlineAction?: int,
#            cluster?: string }], credential?: { userName, password } }
# Output: { ok, records: [recovery...], errors }; recovery: { type: 'recovery', host, target, ok,
#          actions: string[], finalState, extraAdapters, missingAdapters: string[],
#          offlineActionRestored?, error? }

$items = @(Get-GpupParam $Params 'items' @())
$cred = Get-GpupCredential $Params
$records = New-Object System.Collections.Generic.List[object]
$errors = New-Object System.Collections.Generic.List[object]

function Get-GpupAdapterKey($Id) { ([string]$Id).ToUpperInvariant() }

foreach ($it in $items) {
  $server = [string](Get-GpupParam $it 'server')
  $name = [string](Get-GpupParam $it 'vm')
  $initial = [string](Get-GpupParam $it 'initialState' '')
  $before = @(Get-GpupParam $it 'adapters' @())
  $offlineBefore = Get-GpupParam $it 'offlineAction'
  $cluster = [string](Get-GpupParam $it 'cluster' '')
  $actions = New-Object System.Collections.Generic.List[string]
  $failures = New-Object System.Collections.Generic.List[string]
  $rec = [ordered]@{ type = 'recovery'; host = $server; target = $name; ok = $false; actions = @(); missingAdapters = @() }
  $beforeKeys = @($before | ForEach-Object { Get-GpupAdapterKey (Get-GpupParam $_ 'id' '') })
  $fail = {
    param($ErrorRecord, [string]$Op)
    $e = ConvertTo-GpupError $ErrorRecord $server $name $Op
    $errors.Add($e)
    $failures.Add("$($Op): $($e.message)")
  }

  $vm = $null
  try {
    $vm = Find-GpupVm $server $cred $name
  } catch { & $fail $_ 'read' }

  if ($null -ne $vm) {
    # 1. Adapters: the difference between before and now, undone with the VM Off (the cmdlets need it, §1.3).
    try {
      $now = @(Get-VMGpuPartitionAdapter -VM $vm)
      $nowKeys = @($now | ForEach-Object { Get-GpupAdapterKey $_.Id })
      $extra = @($now | Where-Object { $beforeKeys -notcontains (Get-GpupAdapterKey $_.Id) })
      $missing = @($before | Where-Object { $nowKeys -notcontains (Get-GpupAdapterKey (Get-GpupParam $_ 'id' '')) })
      if ($extra.Count -gt 0 -or $missing.Count -gt 0) {
        if ([string](Find-GpupVm $server $cred $name).State -ne 'Off') {
          Write-GpupInfo $server "Recovery: stopping VM $name to undo its adapter change" $name
          Stop-VM -VM $vm -Force
          $actions.Add('stop-vm')
        }
        foreach ($x in $extra) {
          try {
            Write-GpupInfo $server "Recovery: removing the GPU partition adapter added to $name" $name
            $x | Remove-VMGpuPartitionAdapter
            $actions.Add('remove-adapter')
          } catch { & $fail $_ 'remove-adapter' }
        }
        foreach ($m in $missing) {
          try {
            Write-GpupInfo $server "Recovery: adding back the GPU partition adapter removed from $name" $name
            $add = @{ VM = $vm }
            $ip = [string](Get-GpupParam $m 'instancePath' '')
            if ($ip) { $add.InstancePath = $ip }
            $null = Add-VMGpuPartitionAdapter @add
            $actions.Add('add-adapter')
          } catch { & $fail $_ 'add-adapter' }
        }
      }
    } catch { & $fail $_ 'adapters' }

    # 2. OfflineAction, when the operation may have set it.
    if ($null -ne $offlineBefore) {
      try {
        $res = Find-GpupClusterResource $cluster ([string]$vm.Id)
        if ($null -ne $res -and $res.offlineAction -ne [int]$offlineBefore) {
          Write-GpupInfo $server "Recovery: restoring the offline action of $name to $([int]$offlineBefore)" $name
          $res.resource | Set-ClusterParameter -Name OfflineAction -Value ([int]$offlineBefore)
          $actions.Add('set-offline-action')
        }
        $rec.offlineActionRestored = $true
      } catch {
        $rec.offlineActionRestored = $false
        & $fail $_ 'set-offline-action'
      }
    }

    # 3. A VM that was Running runs again, whatever failed above.
    try {
      if ($initial -eq 'Running' -and [string](Find-GpupVm $server $cred $name).State -ne 'Running') {
        Write-GpupInfo $server "Recovery: starting VM $name again" $name
        Start-VM -VM $vm
        $actions.Add('start-vm')
      }
    } catch { & $fail $_ 'start-vm' }

    # What is left undone, read back (the caller turns it into commands a person can run).
    try {
      $rec.finalState = [string](Find-GpupVm $server $cred $name).State
      $after = @(Get-VMGpuPartitionAdapter -VM $vm)
      $afterKeys = @($after | ForEach-Object { Get-GpupAdapterKey $_.Id })
      # A re-added adapter has a new Id: it stands for one missing adapter, not for an extra one.
      $readded = @($actions | Where-Object { $_ -eq 'add-adapter' }).Count
      $unknown = @($after | Where-Object { $beforeKeys -notcontains (Get-GpupAdapterKey $_.Id) }).Count
      $rec.extraAdapters = [Math]::Max(0, $unknown - $readded)
      $stillMissing = @($before | Where-Object { $afterKeys -notcontains (Get-GpupAdapterKey (Get-GpupParam $_ 'id' '')) })
      $n = $stillMissing.Count - $readded
      if ($n -gt 0) { $rec.missingAdapters = [string[]]@($stillMissing | Select-Object -Last $n | ForEach-Object { [string](Get-GpupParam $_ 'instancePath' '') }) }
    } catch { & $fail $_ 'read' }
  }

  $rec.actions = [string[]]$actions.ToArray()
  $running = ($initial -ne 'Running') -or ($rec.finalState -eq 'Running')
  $rec.ok = ($failures.Count -eq 0) -and $running -and ($null -ne $vm) -and ([int]$rec.extraAdapters -eq 0) -and (@($rec.missingAdapters).Count -eq 0)
  if ($failures.Count -gt 0) { $rec.error = ($failures.ToArray() -join '; ') }
  $records.Add($rec)
}

Write-GpupEnvelope ($errors.Count -eq 0) $records $errors
