using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using UserManagement.Infrastructure.Operations;

namespace UserManagement.Web.Operations;

/// <summary><c>Health:*</c> settings.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>
    /// How long <c>/health/ready</c> answers from the last run of the checks. 0 runs them for every request (one at a
    /// time all the same).
    /// </summary>
    public int ReadyCacheSeconds { get; set; } = 5;
}

/// <summary>
/// The readiness report, run at most once per <see cref="HealthOptions.ReadyCacheSeconds"/> and by one caller at a
/// time: <c>/health/ready</c> is anonymous and not rate limited, so a flood of probes must cost the database no more
/// than one probe does (finding 11 of the third outside test; ADR 0026). Callers that arrive while the checks run
/// wait for that run and share its answer; none starts a second one.
/// </summary>
public sealed class ReadinessCache(HealthCheckService checks, TimeProvider clock, IOptions<HealthOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly TimeSpan _period = TimeSpan.FromSeconds(Math.Max(0, options.Value.ReadyCacheSeconds));
    private volatile Answer? _last;

    public async Task<HealthReport> GetAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } refreshedMeanwhile)
            {
                return refreshedMeanwhile;
            }

            // Not the caller's token: the others waiting share this run, whether or not its first caller stays.
            var report = await checks.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), CancellationToken.None);
            _last = new Answer(report, clock.GetTimestamp());
            return report;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private HealthReport? Fresh() =>
        _last is { } last && _period > TimeSpan.Zero && clock.GetElapsedTime(last.At) < _period ? last.Report : null;

    private sealed record Answer(HealthReport Report, long At);
}
