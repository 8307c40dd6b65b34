using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace UserManagement.Benchmarks.Micro;

/// <summary>One BenchmarkDotNet figure: mean time per call and bytes allocated per call.</summary>
public sealed record MicroResult(string Name, double MeanNanoseconds, double ErrorNanoseconds, long AllocatedBytes);

/// <summary>Runs the BenchmarkDotNet classes in this process (no separate build) and keeps their figures.</summary>
public static class MicroRunner
{
    public static IReadOnlyList<MicroResult> Run()
    {
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(ResultStore.Directory, "BenchmarkDotNet"));
        var summary = BenchmarkRunner.Run<DispatchBenchmarks>(config);
        return [.. summary.Reports.Select(r => new MicroResult(
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name,
            r.ResultStatistics?.Mean ?? double.NaN,
            r.ResultStatistics?.StandardError ?? double.NaN,
            r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase) ?? -1))];
    }
}
