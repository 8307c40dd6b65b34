namespace UserManagement.Infrastructure.Seeding;

/// <summary>"Users: N of M (P%)" about twenty times in a seed, at most every 50,000 rows.</summary>
public sealed class SeedProgress(int total, IProgress<string>? progress)
{
    private readonly int _every = Math.Max(1, Math.Min(50_000, total / 20));

    public void Written(int written)
    {
        if (written % _every == 0 || written == total)
        {
            progress?.Report($"Users: {written:N0} of {total:N0} ({written * 100L / total}%)");
        }
    }
}
