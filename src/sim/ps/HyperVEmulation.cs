// Compiled part of the Hyper-V emulation (HyperVEmulation.psm1 compiles it once per machine with
// Add-Type and keeps the DLL in a cache folder keyed by this file's hash).
//
// Why compiled (issue 6): the emulation plays 16 "remote" nodes inside ONE local pwsh, so every
// object it builds is CPU the benchmark charges to the warm read, which a real cluster spends on the
// nodes' own cores. A PowerShell view cost ~0.4 ms per VM and ~1 ms per adapter; these classes are
// built straight from the bridge's JSON in microseconds. They carry no rule: the simulator decides
// every value (architecture.md, "One source of truth"), these only give the values the real types'
// names, property order (domain doc §1.1 and §1.4 [S4]) and .NET types (UInt64, UInt16, Guid).
//
// Known differences from the real types (by necessity): the properties that only Windows Server 2025
// has (SupportsIncomingLiveMigration, SupportsOutgoingLiveMigration) always exist and are null where
// the simulated host is older; the real ones are absent there. Readers must (and do) accept both.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;

namespace Microsoft.HyperV.PowerShell
{
    // Property order of domain doc §1.1 [S4]; SupportsIncomingLiveMigration between AvailableVRAM and MinPartitionVRAM (WS2025).
    public sealed class VMHostPartitionableGpu
    {
        public string Name { get; set; }
        public ushort[] ValidPartitionCounts { get; set; }
        public ushort PartitionCount { get; set; }
        public ulong? TotalVRAM { get; set; }
        public ulong? AvailableVRAM { get; set; }
        public bool? SupportsIncomingLiveMigration { get; set; }
        public ulong? MinPartitionVRAM { get; set; }
        public ulong? MaxPartitionVRAM { get; set; }
        public ulong? OptimalPartitionVRAM { get; set; }
        public ulong? TotalEncode { get; set; }
        public ulong? AvailableEncode { get; set; }
        public ulong? MinPartitionEncode { get; set; }
        public ulong? MaxPartitionEncode { get; set; }
        public ulong? OptimalPartitionEncode { get; set; }
        public ulong? TotalDecode { get; set; }
        public ulong? AvailableDecode { get; set; }
        public ulong? MinPartitionDecode { get; set; }
        public ulong? MaxPartitionDecode { get; set; }
        public ulong? OptimalPartitionDecode { get; set; }
        public ulong? TotalCompute { get; set; }
        public ulong? AvailableCompute { get; set; }
        public ulong? MinPartitionCompute { get; set; }
        public ulong? MaxPartitionCompute { get; set; }
        public ulong? OptimalPartitionCompute { get; set; }
        public object CimSession { get; set; }
        public string ComputerName { get; set; }
        public bool IsDeleted { get; set; }
    }

    public sealed class VirtualMachine
    {
        public string Name { get; set; }
        public string State { get; set; }
        public Guid Id { get; set; }
        public Guid VMId { get; set; }
        public string VMName { get; set; }
        public int Generation { get; set; }
        public bool AutomaticCheckpointsEnabled { get; set; }
        public ulong? LowMemoryMappedIoSpace { get; set; }
        public ulong? HighMemoryMappedIoSpace { get; set; }
        public bool IsClustered { get; set; }
        public object CimSession { get; set; }
        public string ComputerName { get; set; }
        public bool IsDeleted { get; set; }
    }

    // Property order of domain doc §1.4 [S4]; SupportsOutgoingLiveMigration (WS2025) last (its position is UNCONFIRMED).
    public sealed class VMGpuPartitionAdapter
    {
        public string InstancePath { get; set; }
        public ulong? CurrentPartitionVRAM { get; set; }
        public ulong? MinPartitionVRAM { get; set; }
        public ulong? MaxPartitionVRAM { get; set; }
        public ulong? OptimalPartitionVRAM { get; set; }
        public ulong? CurrentPartitionEncode { get; set; }
        public ulong? MinPartitionEncode { get; set; }
        public ulong? MaxPartitionEncode { get; set; }
        public ulong? OptimalPartitionEncode { get; set; }
        public ulong? CurrentPartitionDecode { get; set; }
        public ulong? MinPartitionDecode { get; set; }
        public ulong? MaxPartitionDecode { get; set; }
        public ulong? OptimalPartitionDecode { get; set; }
        public ulong? CurrentPartitionCompute { get; set; }
        public ulong? MinPartitionCompute { get; set; }
        public ulong? MaxPartitionCompute { get; set; }
        public ulong? OptimalPartitionCompute { get; set; }
        public ushort? PartitionId { get; set; }
        public string PartitionVfLuid { get; set; }
        public string Name { get; set; }
        public string Id { get; set; }
        public Guid VMId { get; set; }
        public string VMName { get; set; }
        public Guid VMSnapshotId { get; set; }
        public string VMSnapshotName { get; set; }
        public object CimSession { get; set; }
        public string ComputerName { get; set; }
        public bool IsDeleted { get; set; }
        public Guid VMCheckpointId { get; set; }
        public string VMCheckpointName { get; set; }
        public bool? SupportsOutgoingLiveMigration { get; set; }
    }
}

namespace Microsoft.FailoverClusters.PowerShell
{
    public sealed class ClusterResource
    {
        public string Name { get; set; }
        public string State { get; set; }
        public string OwnerGroup { get; set; }
        public string ResourceType { get; set; }
        public string OwnerNode { get; set; }
        public string Cluster { get; set; }
    }

    public sealed class ClusterParameter
    {
        public object ClusterObject { get; set; }
        public string Name { get; set; }
        public bool IsReadOnly { get; set; }
        public string ParameterType { get; set; }
        public object Value { get; set; }
    }
}

namespace Gpup.Emulation
{
    using Microsoft.FailoverClusters.PowerShell;
    using Microsoft.HyperV.PowerShell;

    /// <summary>
    /// Admission of emulated remote sessions to this machine's cores. A real cluster runs each node's
    /// share of a read on that node; the emulation runs all of them here, and 17 runspaces computing
    /// at once on 2 cores spend more CPU contending than reading (a 16-node read took 2.5x the CPU of
    /// the same sessions one after another). So at most one session per core computes at a time; the
    /// others wait blocked (no CPU). Network waits (the bridge's latency) happen before admission, so
    /// they still overlap. Re-entrant per thread: a session inside a session is not admitted twice.
    /// </summary>
    public static class Cores
    {
        static readonly System.Threading.SemaphoreSlim Gate = new System.Threading.SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        [ThreadStatic] static int _depth;

        /// <summary>Tries to enter for `ms` (so PowerShell can stop the pipeline between tries); true when this thread may compute.</summary>
        public static bool TryEnter(int ms)
        {
            if (_depth > 0) { _depth++; return true; }
            if (!Gate.Wait(ms)) return false;
            _depth = 1;
            return true;
        }

        public static void Exit()
        {
            if (_depth <= 0) return;
            if (--_depth == 0) Gate.Release();
        }
    }

    /// <summary>One bridge answer: { ok, result } or { ok: false, error: { message, category, fullyQualifiedErrorId } }.</summary>
    public sealed class SimAnswer
    {
        public bool Ok { get; private set; }
        /// <summary>The result as JSON (for the views), "null" when absent.</summary>
        public JsonElement Result { get; private set; }
        public SimError Error { get; private set; }

        public static SimAnswer Parse(string json)
        {
            using (var doc = JsonDocument.Parse(json)) return From(doc.RootElement.Clone());
        }

        /// <summary>The answers of a /batch call, in call order.</summary>
        public static SimAnswer[] ParseBatch(string json)
        {
            using (var doc = JsonDocument.Parse(json))
            {
                var root = doc.RootElement.Clone();
                var list = new List<SimAnswer>();
                if (root.TryGetProperty("result", out var r) && r.ValueKind == JsonValueKind.Array)
                    foreach (var a in r.EnumerateArray()) list.Add(From(a));
                return list.ToArray();
            }
        }

        static SimAnswer From(JsonElement e)
        {
            var a = new SimAnswer { Ok = e.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True };
            a.Result = e.TryGetProperty("result", out var r) ? r : default(JsonElement);
            if (!a.Ok && e.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.Object)
                a.Error = new SimError(Json.Str(err, "message"), Json.Str(err, "category"), Json.Str(err, "fullyQualifiedErrorId"));
            return a;
        }
    }

    public sealed class SimError
    {
        public SimError(string message, string category, string id) { Message = message; Category = category; FullyQualifiedErrorId = id; }
        public string Message { get; private set; }
        public string Category { get; private set; }
        public string FullyQualifiedErrorId { get; private set; }
    }

    static class Json
    {
        public static string Str(JsonElement o, string name)
        {
            if (o.ValueKind != JsonValueKind.Object || !o.TryGetProperty(name, out var v)) return null;
            switch (v.ValueKind)
            {
                case JsonValueKind.String: return v.GetString();
                case JsonValueKind.Null: return null;
                default: return v.GetRawText();
            }
        }

        /// <summary>PowerShell's [string] of a missing JSON field is '' (the views cast with [string]).</summary>
        public static string S(JsonElement o, string name) { return Str(o, name) ?? ""; }

        /// <summary>UInt64 values travel as decimal strings (bigint in the simulator); '' and null are absent.</summary>
        public static ulong? U64(JsonElement o, string name)
        {
            if (!o.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.String)
            {
                var s = v.GetString();
                return s.Length == 0 ? (ulong?)null : ulong.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            }
            if (v.ValueKind == JsonValueKind.Number) return v.GetUInt64();
            return null;
        }

        public static bool? Bool(JsonElement o, string name)
        {
            if (!o.TryGetProperty(name, out var v)) return null;
            if (v.ValueKind == JsonValueKind.True) return true;
            if (v.ValueKind == JsonValueKind.False) return false;
            return null;
        }

        public static int Int(JsonElement o, string name)
        {
            if (!o.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number) return 0;
            return v.GetInt32();
        }

        public static Guid Guid(JsonElement o, string name)
        {
            var s = Str(o, name);
            return string.IsNullOrEmpty(s) ? System.Guid.Empty : System.Guid.Parse(s);
        }

        public static IEnumerable<JsonElement> Items(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) { foreach (var x in e.EnumerateArray()) if (x.ValueKind == JsonValueKind.Object) yield return x; }
            else if (e.ValueKind == JsonValueKind.Object) yield return e;
        }
    }

    /// <summary>The simulator's objects (src/sim/world.ts views, camelCase JSON) as the real cmdlets' types.</summary>
    public static class Views
    {
        public static VMHostPartitionableGpu Gpu(JsonElement g, object session)
        {
            var counts = new List<ushort>();
            if (g.TryGetProperty("validPartitionCounts", out var c) && c.ValueKind == JsonValueKind.Array)
                foreach (var x in c.EnumerateArray()) counts.Add(x.GetUInt16());
            return new VMHostPartitionableGpu
            {
                Name = Json.S(g, "name"),
                ValidPartitionCounts = counts.ToArray(),
                PartitionCount = (ushort)Json.Int(g, "partitionCount"),
                TotalVRAM = Json.U64(g, "totalVRAM"),
                AvailableVRAM = Json.U64(g, "availableVRAM"),
                SupportsIncomingLiveMigration = Json.Bool(g, "supportsIncomingLiveMigration"),
                MinPartitionVRAM = Json.U64(g, "minPartitionVRAM"),
                MaxPartitionVRAM = Json.U64(g, "maxPartitionVRAM"),
                OptimalPartitionVRAM = Json.U64(g, "optimalPartitionVRAM"),
                TotalEncode = Json.U64(g, "totalEncode"),
                AvailableEncode = Json.U64(g, "availableEncode"),
                MinPartitionEncode = Json.U64(g, "minPartitionEncode"),
                MaxPartitionEncode = Json.U64(g, "maxPartitionEncode"),
                OptimalPartitionEncode = Json.U64(g, "optimalPartitionEncode"),
                TotalDecode = Json.U64(g, "totalDecode"),
                AvailableDecode = Json.U64(g, "availableDecode"),
                MinPartitionDecode = Json.U64(g, "minPartitionDecode"),
                MaxPartitionDecode = Json.U64(g, "maxPartitionDecode"),
                OptimalPartitionDecode = Json.U64(g, "optimalPartitionDecode"),
                TotalCompute = Json.U64(g, "totalCompute"),
                AvailableCompute = Json.U64(g, "availableCompute"),
                MinPartitionCompute = Json.U64(g, "minPartitionCompute"),
                MaxPartitionCompute = Json.U64(g, "maxPartitionCompute"),
                OptimalPartitionCompute = Json.U64(g, "optimalPartitionCompute"),
                CimSession = session,
                ComputerName = Json.S(g, "computerName"),
                IsDeleted = Json.Bool(g, "isDeleted") ?? false,
            };
        }

        public static VirtualMachine Vm(JsonElement v, object session)
        {
            var id = Json.Guid(v, "id");
            return new VirtualMachine
            {
                Name = Json.S(v, "name"),
                State = Json.S(v, "state"),
                Id = id,
                VMId = id,
                VMName = Json.S(v, "name"),
                Generation = Json.Int(v, "generation"),
                AutomaticCheckpointsEnabled = Json.Bool(v, "automaticCheckpointsEnabled") ?? false,
                LowMemoryMappedIoSpace = Json.U64(v, "lowMemoryMappedIoSpace"),
                HighMemoryMappedIoSpace = Json.U64(v, "highMemoryMappedIoSpace"),
                // A clustered VM role has an OfflineAction (the simulator sets it only for those).
                IsClustered = v.TryGetProperty("offlineAction", out var oa) && oa.ValueKind != JsonValueKind.Null,
                CimSession = session,
                ComputerName = Json.S(v, "computerName"),
                IsDeleted = false,
            };
        }

        public static VMGpuPartitionAdapter Adapter(JsonElement a, object session)
        {
            ushort? pid = null;
            if (a.TryGetProperty("partitionId", out var p) && p.ValueKind == JsonValueKind.Number) pid = p.GetUInt16();
            return new VMGpuPartitionAdapter
            {
                InstancePath = Json.Str(a, "instancePath"),
                CurrentPartitionVRAM = Json.U64(a, "currentPartitionVRAM"),
                MinPartitionVRAM = Json.U64(a, "minPartitionVRAM"),
                MaxPartitionVRAM = Json.U64(a, "maxPartitionVRAM"),
                OptimalPartitionVRAM = Json.U64(a, "optimalPartitionVRAM"),
                CurrentPartitionEncode = Json.U64(a, "currentPartitionEncode"),
                MinPartitionEncode = Json.U64(a, "minPartitionEncode"),
                MaxPartitionEncode = Json.U64(a, "maxPartitionEncode"),
                OptimalPartitionEncode = Json.U64(a, "optimalPartitionEncode"),
                CurrentPartitionDecode = Json.U64(a, "currentPartitionDecode"),
                MinPartitionDecode = Json.U64(a, "minPartitionDecode"),
                MaxPartitionDecode = Json.U64(a, "maxPartitionDecode"),
                OptimalPartitionDecode = Json.U64(a, "optimalPartitionDecode"),
                CurrentPartitionCompute = Json.U64(a, "currentPartitionCompute"),
                MinPartitionCompute = Json.U64(a, "minPartitionCompute"),
                MaxPartitionCompute = Json.U64(a, "maxPartitionCompute"),
                OptimalPartitionCompute = Json.U64(a, "optimalPartitionCompute"),
                PartitionId = pid,
                PartitionVfLuid = Json.Str(a, "partitionVfLuid"),
                Name = Json.S(a, "name"),
                Id = Json.S(a, "id"),
                VMId = Json.Guid(a, "vmId"),
                VMName = Json.S(a, "vmName"),
                VMSnapshotId = Json.Guid(a, "vmSnapshotId"),
                VMSnapshotName = Json.S(a, "vmSnapshotName"),
                CimSession = session,
                ComputerName = Json.S(a, "computerName"),
                IsDeleted = Json.Bool(a, "isDeleted") ?? false,
                VMCheckpointId = Json.Guid(a, "vmCheckpointId"),
                VMCheckpointName = Json.S(a, "vmCheckpointName"),
                SupportsOutgoingLiveMigration = Json.Bool(a, "supportsOutgoingLiveMigration"),
            };
        }

        public static ClusterResource Resource(JsonElement r, string cluster)
        {
            var name = Json.S(r, "name");
            return new ClusterResource
            {
                Name = name,
                State = Json.S(r, "state"),
                // The VM role's group is the VM's name (the resource is "Virtual Machine <name>").
                OwnerGroup = name.StartsWith("Virtual Machine ", StringComparison.Ordinal) ? name.Substring(16) : name,
                ResourceType = Json.S(r, "resourceType"),
                OwnerNode = Json.S(r, "ownerNode"),
                Cluster = cluster,
            };
        }

        public static ClusterParameter Parameter(JsonElement p, object clusterObject)
        {
            var isString = p.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String;
            return new ClusterParameter
            {
                ClusterObject = clusterObject,
                Name = Json.S(p, "name"),
                IsReadOnly = false,
                ParameterType = isString ? "String" : "UInt32",
                Value = isString ? (object)v.GetString() : (object)(v.ValueKind == JsonValueKind.Number ? v.GetUInt32() : 0u),
            };
        }

        // Arrays of a JSON text (the live path, and the rare Passthru objects PowerShell hands over as JSON).
        public static VMHostPartitionableGpu[] Gpus(JsonElement e, object session) { var l = new List<VMHostPartitionableGpu>(); foreach (var x in Json.Items(e)) l.Add(Gpu(x, session)); return l.ToArray(); }
        public static VirtualMachine[] Vms(JsonElement e, object session) { var l = new List<VirtualMachine>(); foreach (var x in Json.Items(e)) l.Add(Vm(x, session)); return l.ToArray(); }
        public static VMGpuPartitionAdapter[] Adapters(JsonElement e, object session) { var l = new List<VMGpuPartitionAdapter>(); foreach (var x in Json.Items(e)) l.Add(Adapter(x, session)); return l.ToArray(); }
        public static ClusterResource[] Resources(JsonElement e, string cluster) { var l = new List<ClusterResource>(); foreach (var x in Json.Items(e)) l.Add(Resource(x, cluster)); return l.ToArray(); }
        public static JsonElement Parse(string json) { using (var d = JsonDocument.Parse(json)) return d.RootElement.Clone(); }

        static bool Wanted(string[] filter, string value)
        {
            // PowerShell's -contains: case-insensitive equality; no filter = everything.
            if (filter == null || filter.Length == 0) return true;
            foreach (var f in filter) if (string.Equals(f, value, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        /// <summary>Get-PnpDevice's CIM instances (Win32_PnPEntity, as PowerShell prints them) of the simulator's devices, filtered like -Class/-InstanceId/-Status.</summary>
        public static PSObject[] PnpDevices(JsonElement devices, string host, string[] classes, string[] instanceIds, string[] statuses)
        {
            var l = new List<PSObject>();
            foreach (var d in Json.Items(devices))
            {
                string cls = Json.S(d, "class"), id = Json.S(d, "instanceId"), status = Json.S(d, "status");
                if (!Wanted(classes, cls) || !Wanted(instanceIds, id) || !Wanted(statuses, status)) continue;
                var o = new PSObject();
                o.Properties.Add(new PSNoteProperty("Status", status));
                o.Properties.Add(new PSNoteProperty("Class", cls));
                o.Properties.Add(new PSNoteProperty("FriendlyName", Json.S(d, "friendlyName")));
                o.Properties.Add(new PSNoteProperty("InstanceId", id));
                o.Properties.Add(new PSNoteProperty("Manufacturer", Json.S(d, "manufacturer")));
                o.Properties.Add(new PSNoteProperty("Present", true));
                o.Properties.Add(new PSNoteProperty("PSComputerName", host));
                o.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPEntity");
                l.Add(o);
            }
            return l.ToArray();
        }

        /// <summary>
        /// Get-PnpDeviceProperty's CIM instances (Win32_PnPDeviceProperty) of the simulator's
        /// { instanceId, properties } list, for the devices asked (case-insensitive) and the key names asked (all when none).
        /// </summary>
        public static PSObject[] PnpProperties(JsonElement devices, string host, string[] instanceIds, string[] keyNames)
        {
            var l = new List<PSObject>();
            foreach (var d in Json.Items(devices))
            {
                var id = Json.S(d, "instanceId");
                if (instanceIds != null && !Wanted(instanceIds, id)) continue;
                if (!d.TryGetProperty("properties", out var props) || props.ValueKind != JsonValueKind.Object) continue;
                foreach (var p in props.EnumerateObject())
                {
                    if (keyNames != null && keyNames.Length > 0 && !Wanted(keyNames, p.Name)) continue;
                    string type; object data;
                    if (p.Value.ValueKind == JsonValueKind.String) { type = "String"; data = p.Value.GetString(); }
                    else if (p.Value.ValueKind == JsonValueKind.Array)
                    {
                        type = "StringList";
                        var items = new List<string>();
                        foreach (var x in p.Value.EnumerateArray()) items.Add(x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText());
                        data = items.ToArray();
                    }
                    else { type = "UInt32"; data = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetUInt32() : 0u; }
                    var o = new PSObject();
                    o.Properties.Add(new PSNoteProperty("InstanceId", id));
                    o.Properties.Add(new PSNoteProperty("KeyName", p.Name));
                    o.Properties.Add(new PSNoteProperty("Type", type));
                    o.Properties.Add(new PSNoteProperty("Data", data));
                    o.Properties.Add(new PSNoteProperty("PSComputerName", host));
                    o.TypeNames.Insert(0, "Microsoft.Management.Infrastructure.CimInstance#ROOT/cimv2/Win32_PnPDeviceProperty");
                    l.Add(o);
                }
            }
            return l.ToArray();
        }
    }

    /// <summary>
    /// What an emulated remote session knows of its node when it starts (bridge op enterSession with
    /// a snapshot): the results of the read operations the node's cmdlets would otherwise ask for one
    /// by one, each computed by the simulator's own methods. A section is absent when the simulator
    /// would not answer it plainly (a fault is injected on the host, or the read fails): that cmdlet
    /// then asks the bridge as before, so faults and errors are unchanged. The module drops the
    /// snapshot at the session's first write, so a read after a change is always live.
    /// </summary>
    public sealed class Snapshot
    {
        readonly JsonElement _s;
        Dictionary<string, JsonElement> _adapters;
        Dictionary<string, Dictionary<string, JsonElement>> _parameters;

        Snapshot(string host, JsonElement s) { Host = host; _s = s; }

        public string Host { get; private set; }

        /// <summary>enterSession's answer: { host, snapshot? } -> null when it holds no snapshot.</summary>
        public static Snapshot From(SimAnswer a)
        {
            if (a == null || !a.Ok || a.Result.ValueKind != JsonValueKind.Object) return null;
            if (!a.Result.TryGetProperty("snapshot", out var s) || s.ValueKind != JsonValueKind.Object) return null;
            return new Snapshot(Json.S(a.Result, "host"), s);
        }

        JsonElement? Section(string name)
        {
            return _s.TryGetProperty(name, out var v) ? v : (JsonElement?)null;
        }

        public bool Has(string name) { return _s.TryGetProperty(name, out _); }

        /// <summary>A small section as JSON text (host facts, PnP devices): PowerShell reads those itself.</summary>
        public string SectionJson(string name) { var v = Section(name); return v.HasValue ? v.Value.GetRawText() : null; }

        public VMHostPartitionableGpu[] Gpus(object session) { var v = Section("gpus"); return v.HasValue ? Views.Gpus(v.Value, session) : null; }

        /// <summary>A section as JSON for the views (the PnP lists).</summary>
        public JsonElement SectionElement(string name) { var v = Section(name); return v.HasValue ? v.Value : default(JsonElement); }

        /// <summary>
        /// The adapters of these VMs (Get-VM objects) in input order, or null unless every one is on
        /// this node and in the snapshot (the cmdlet then asks the bridge).
        /// </summary>
        public VMGpuPartitionAdapter[] AdaptersOfAll(VirtualMachine[] vms, object session)
        {
            var all = new List<VMGpuPartitionAdapter>();
            foreach (var vm in vms)
            {
                if (vm == null || vm.ComputerName != Host) return null;
                var list = AdaptersOf(vm.Name, session);
                if (list == null) return null;
                all.AddRange(list);
            }
            return all.ToArray();
        }
        public VirtualMachine[] Vms(object session) { var v = Section("vms"); return v.HasValue ? Views.Vms(v.Value, session) : null; }

        /// <summary>The adapters of one VM of this node (by the name the simulator gave it), or null when not in the snapshot.</summary>
        VMGpuPartitionAdapter[] AdaptersOf(string vmName, object session)
        {
            if (_adapters == null)
            {
                _adapters = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                var v = Section("adapters");
                if (v.HasValue && v.Value.ValueKind == JsonValueKind.Object)
                    foreach (var p in v.Value.EnumerateObject()) _adapters[p.Name] = p.Value;
            }
            return _adapters.TryGetValue(vmName ?? "", out var list) ? Views.Adapters(list, session) : null;
        }

        public string ClusterName { get { return Json.Str(_s, "clusterName"); } }

        public ClusterResource[] Resources(string cluster) { var v = Section("clusterResources"); return v.HasValue ? Views.Resources(v.Value, cluster) : null; }

        /// <summary>Parameter `name` of resource `resource` as Get-ClusterParameter prints it, or null when not in the snapshot.</summary>
        public ClusterParameter Parameter(string resource, string name, object clusterObject)
        {
            if (_parameters == null)
            {
                _parameters = new Dictionary<string, Dictionary<string, JsonElement>>(StringComparer.Ordinal);
                var v = Section("clusterParameters");
                if (v.HasValue && v.Value.ValueKind == JsonValueKind.Object)
                    foreach (var r in v.Value.EnumerateObject())
                    {
                        var d = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                        if (r.Value.ValueKind == JsonValueKind.Object) foreach (var p in r.Value.EnumerateObject()) d[p.Name] = p.Value;
                        _parameters[r.Name] = d;
                    }
            }
            if (resource == null || name == null || !_parameters.TryGetValue(resource, out var ps) || !ps.TryGetValue(name, out var e)) return null;
            return Views.Parameter(e, clusterObject);
        }
    }
}
