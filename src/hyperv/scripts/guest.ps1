# guest.ps1: the guest check (issue 8). Runs `nvidia-smi -q -x` inside a VM through PowerShell Direct
# (Invoke-Command -VMName), which only works on the Hyper-V host that runs the VM: so the outer
# Invoke-Command enters that host (WinRM) and the inner one enters the VM (VMBus, no network to the guest).
# Every value travels as an argument of the script blocks (-ArgumentList), never in script text.
#
# $Params: { server, vm, credential?: { userName, password } (host), guestCredential?: { userName, password } }
# Output: { ok, records: [{ type: 'guest', host, target, xml }], errors }

$server = [string](Get-GpupParam $Params 'server')
$vmName = [string](Get-GpupParam $Params 'vm')
$cred = Get-GpupCredential $Params
$gcObj = Get-GpupParam $Params 'guestCredential'
$guestCred = $null
if ($null -ne $gcObj) { $guestCred = Get-GpupCredential ([pscustomobject]@{ credential = $gcObj }) }
$records = New-Object System.Collections.Generic.List[object]
$errors = New-Object System.Collections.Generic.List[object]

# Runs on the host. Self-contained: a remote session does not see this script's functions.
$onHost = {
  param([string]$VmName, $GuestCredential)
  $ErrorActionPreference = 'Stop'
  $vms = @(Get-VM | Where-Object { [string]$_.Name -eq $VmName })
  if ($vms.Count -eq 0) { throw "Hyper-V was unable to find a virtual machine with name `"$VmName`"." }
  if ($vms.Count -gt 1) { throw "More than one virtual machine is named `"$VmName`"." }
  if ([string]$vms[0].State -ne 'Running') {
    throw "The virtual machine '$VmName' is not running (state $([string]$vms[0].State)). PowerShell Direct (Invoke-Command -VMName) needs a running virtual machine."
  }
  $direct = @{ VMName = $VmName }
  if ($GuestCredential) { $direct.Credential = $GuestCredential }
  # Inside the guest: nvidia-smi is on PATH with the NVIDIA driver (System32); its exit code tells
  # a driver failure (it prints the reason on stdout, not as XML).
  $inGuest = {
    $ErrorActionPreference = 'Stop'
    $cmd = Get-Command nvidia-smi -ErrorAction SilentlyContinue
    if ($null -eq $cmd) { throw 'nvidia-smi was not found in the virtual machine: is the NVIDIA guest driver installed?' }
    $text = (& nvidia-smi -q -x | Out-String)
    if ($LASTEXITCODE -and $LASTEXITCODE -ne 0) { throw ("nvidia-smi failed (exit code $LASTEXITCODE): " + $text.Trim()) }
    $text
  }
  $out = @(Invoke-Command @direct -ScriptBlock $inGuest)
  ($out | ForEach-Object { [string]$_ }) -join "`n"
}

try {
  if (-not $server) { throw 'guest.ps1: the server is missing.' }
  if (-not $vmName) { throw 'guest.ps1: the virtual machine is missing.' }
  Write-GpupInfo $server "Running nvidia-smi -q -x in $vmName (PowerShell Direct)" $vmName
  $remote = Get-GpupRemote $server $cred
  $xml = [string](Invoke-Command @remote -ScriptBlock $onHost -ArgumentList $vmName, $guestCred)
  if ($xml.IndexOf('<nvidia_smi_log') -lt 0) {
    $snippet = $xml.Trim()
    if ($snippet.Length -gt 200) { $snippet = $snippet.Substring(0, 200) + '...' }
    throw "nvidia-smi in '$vmName' printed no XML report: $snippet"
  }
  $records.Add([ordered]@{ type = 'guest'; host = $server; target = $vmName; xml = $xml })
} catch {
  $e = ConvertTo-GpupError $_ $server $vmName 'guest'
  $e.message = "Guest check of '$vmName' on ${server}: $($e.message)"
  $errors.Add($e)
}

Write-GpupEnvelope ($errors.Count -eq 0) $records $errors
