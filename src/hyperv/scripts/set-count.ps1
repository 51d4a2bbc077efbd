# set-count.ps1: Set-VMHostPartitionableGpu -PartitionCount per selected GPU (domain doc §1.2). The
# GPU is read with Get-VMHostPartitionableGpu and piped in (the Object parameter set); one GPU's
# failure does not stop the others.
#
# $Params: { targets: [{ server, gpu }], count: number, credential?: { userName, password }, whatIf?: bool }
# Output: { ok, records: [step..., item...], errors }; with whatIf only the steps, nothing changed.

$targets = @(Get-GpupParam $Params 'targets' @())
$count = [int](Get-GpupParam $Params 'count' 0)
$whatIf = [bool](Get-GpupParam $Params 'whatIf' $false)
$cred = Get-GpupCredential $Params
$records = New-Object System.Collections.Generic.List[object]
$errors = New-Object System.Collections.Generic.List[object]
$stopReason = $null

foreach ($t in $targets) {
  $server = [string](Get-GpupParam $t 'server')
  $name = [string](Get-GpupParam $t 'gpu')
  $records.Add((New-GpupStep $server $name 'set-count' (Get-GpupCommand 'set-count' $server $name $count)))
  if ($whatIf) { continue }
  $item = [ordered]@{ type = 'item'; host = $server; target = $name; ok = $false; completedSteps = @() }
  # A cancel or timeout request (_common.ps1) stops before the next GPU; one Set is never cut in two.
  if (-not $stopReason) { $stopReason = Get-GpupCancelReason }
  if ($stopReason) {
    $item.interrupted = $stopReason
    $item.notStarted = $true
    $item.error = "Not started: the operation was stopped ($stopReason) before this GPU."
    $records.Add($item)
    continue
  }
  try {
    Write-GpupInfo $server "Setting the partition count of $name to $count" $name 'set-count'
    $remote = Get-GpupRemote $server $cred
    # Exact match by Name: -Name could be read as a pattern ('?' is in every device path).
    $g = @(Get-VMHostPartitionableGpu @remote | Where-Object { [string]$_.Name -eq $name })
    if ($g.Count -eq 0) { throw "Unable to find a partitionable GPU with the name '$name'." }
    $null = $g[0] | Set-VMHostPartitionableGpu -PartitionCount ([UInt16]$count) -Passthru
    $item.ok = $true
    $item.completedSteps = @('set-count')
    Write-GpupInfo $server "Partition count of $name is now $count" $name 'done'
  } catch {
    $err = ConvertTo-GpupError $_ $server $name 'set-count'
    $errors.Add($err)
    $item.error = [string]$err.message
  }
  $records.Add($item)
}

$extra = $null
if ($stopReason) { $extra = @{ interrupted = $stopReason } }
Write-GpupEnvelope ($errors.Count -eq 0 -and -not $stopReason) $records $errors $extra
