@{
  RootModule        = 'HyperVEmulation.psm1'
  ModuleVersion     = '0.1.0'
  GUID              = '6d0f7b3e-2c1a-4f0e-9a53-1c7e2b9d4a11'
  Author            = 'Azure Local GPU Partitions'
  Description       = 'Emulation of the Hyper-V GPU-P, FailoverClusters, PnpDevice and CIM cmdlets over the simulator bridge (GPUP_SIM_URL / GPUP_SIM_TOKEN). Test and demo use only.'
  PowerShellVersion = '7.2'
  FunctionsToExport = @(
    'Get-VMHostPartitionableGpu', 'Set-VMHostPartitionableGpu',
    'Add-VMGpuPartitionAdapter', 'Get-VMGpuPartitionAdapter', 'Set-VMGpuPartitionAdapter', 'Remove-VMGpuPartitionAdapter',
    'Get-VM', 'Start-VM', 'Stop-VM',
    'Get-ClusterNode', 'Get-ClusterResource', 'Get-ClusterParameter', 'Set-ClusterParameter',
    'Get-PnpDevice', 'Get-PnpDeviceProperty',
    'New-CimSession', 'Remove-CimSession', 'Get-CimInstance', 'Invoke-CimMethod',
    'Invoke-Command')
  CmdletsToExport   = @()
  VariablesToExport = @()
  AliasesToExport   = @()
}
