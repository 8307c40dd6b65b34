using System.Text.Json;
using UserManagement.Application.Jobs;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace UserManagement.Infrastructure.Bus;

/// <summary>The dead letters in Wolverine's message store (the app's SQLite file by default).</summary>
internal sealed class WolverineDeadLetterStore(IWolverineRuntime runtime) : IDeadLetterStore
{
    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var results = await runtime.Storage.DeadLetters.QueryAsync(new DeadLetterEnvelopeQuery { PageSize = max }, cancellationToken);
        return results.Envelopes.Select(Describe).OrderByDescending(d => d.FailedAt).ToList();
    }

    public async Task<DeadLetter?> RetryAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id) is not { } deadLetter)
        {
            return null;
        }

        await runtime.Storage.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery([id]), cancellationToken);
        return deadLetter;
    }

    public async Task<DeadLetter?> DiscardAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindAsync(id) is not { } deadLetter)
        {
            return null;
        }

        await runtime.Storage.DeadLetters.DiscardAsync(new DeadLetterEnvelopeQuery([id]), cancellationToken);
        return deadLetter;
    }

    private static DeadLetter Describe(DeadLetterEnvelope e) => new(
        e.Id,
        e.Message?.GetType().Name ?? e.MessageType.Split('.', '+').Last(),
        JobIdOf(e),
        e.ExceptionType,
        e.ExceptionMessage,
        (e.FailedAt ?? e.SentAt).UtcDateTime);

    /// <summary>The job a dead letter belongs to, read from its (JSON) body when the store did not deserialize it.</summary>
    private static Guid? JobIdOf(DeadLetterEnvelope deadLetter)
    {
        if (deadLetter.Message is IJobMessage message)
        {
            return message.JobId;
        }

        var body = deadLetter.Envelope?.Data;
        if (body is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.EnumerateObject().FirstOrDefault(p => p.NameEquals(nameof(IJobMessage.JobId)) || p.Name == "jobId") is { Value.ValueKind: JsonValueKind.String } property
                && property.Value.TryGetGuid(out var id)
                ? id
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<DeadLetter?> FindAsync(Guid id) =>
        await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id, null!) is { } found ? Describe(found) : null;
}
