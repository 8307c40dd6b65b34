using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace UserManagement.Tests.Support;

/// <summary>The queries a <see cref="TestApp"/> sent to the database, with their parameters, to look at their plans.</summary>
public sealed class CommandLog : DbCommandInterceptor
{
    private readonly ConcurrentQueue<SentCommand> _commands = new();

    public sealed record SentCommand(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters);

    public IReadOnlyList<SentCommand> Commands => [.. _commands];

    public void Clear() => _commands.Clear();

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _commands.Enqueue(new SentCommand(
            command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value))]));
        return ValueTask.FromResult(result);
    }
}
