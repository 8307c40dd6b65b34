using System.Globalization;
using System.Runtime.CompilerServices;
using Mediator;
using Microsoft.Data.Sqlite;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure.Sqlite.Users;
using UserManagement.Web.Users;

namespace UserManagement.Benchmarks.Scenarios;

/// <summary>
/// The users list's CSV export (issue 10: "100,000 users in seconds"): <see cref="ExportUsersQuery"/> through the
/// mediator, the read side asked a thousand rows at a time, each row written by the app's CSV writer as it comes, as
/// <c>GET /users/export.csv</c> does; against raw Microsoft.Data.Sqlite reading the same rows in one SELECT into the
/// same writer, in the same run, alternating. Both write to a stream that only counts bytes, so the figure is the
/// app's work, not a disk's or a network's. The first <see cref="Rows"/> rows of the whole list by name (all of it on a
/// smaller database).
/// </summary>
public sealed class ExportScenario(ISender sender, SqliteConnection raw, long total, TextWriter log)
{
    public const string Name = "Export the users list as CSV";
    public const int Rows = 100_000;
    private const double TargetMilliseconds = 5_000;

    public async Task<ScenarioResult> RunAsync(int rounds)
    {
        var rows = (int)Math.Min(Rows, total);
        var bytes = new CountingStream();
        var request = new UserListRequest(UserSearch.From(null), null, null, ListUsersQuery.SortByName, false, 1, rows);
        var (sql, parameters) = await SqliteUserListExplain.RowsAsync(raw, request, fetchAll: true);

        Func<int, Task> handler = async _ =>
        {
            bytes.Restart();
            var export = await sender.Send(new ExportUsersQuery(new UserListFilter(), ListUsersQuery.SortByName));
            ScenarioRunner.Check(export.IsSuccess, $"the export was accepted ({export})");
            var written = await WriteAsync(bytes, export.Value.Take(rows));
            ScenarioRunner.Check(written == rows, $"the export wrote {written} of {rows} rows");
        };
        Func<int, Task> rawExport = async _ =>
        {
            bytes.Restart();
            var written = await WriteAsync(bytes, RawRowsAsync(sql, parameters));
            ScenarioRunner.Check(written == rows, $"the raw export wrote {written} of {rows} rows");
        };

        var (h, b) = await Samples.TimeInterleavedAsync(1, rounds, handler, rawExport);
        var perSecond = rows / h.P50 * 1000;
        var result = new ScenarioResult(
            Invariant($"{Name}: the first {rows:N0} rows by name, streamed"), h,
            "raw: one SELECT of the same rows into the same CSV writer", b,
            "100,000 rows in ≤ 5 s", h.P95 * Rows / rows <= TargetMilliseconds,
            Invariant($"{perSecond:N0} rows/s, {bytes.Length / 1048576.0:0.0} MB of CSV; raw {rows / b.P50 * 1000:N0} rows/s"));
        log.WriteLine(Invariant($"{result.Name}: p50 {h.P50:0} ms, raw {b.P50:0} ms, ratio {result.Ratio:0.00} ({result.Note})"));
        return result;
    }

    private static async Task<int> WriteAsync(Stream body, IAsyncEnumerable<UserListItem> items)
    {
        var written = 0;
        await CsvWriter.WriteAsync(body, UserExport.Header, Counted(items), UserExport.Cells, CancellationToken.None);
        return written;

        async IAsyncEnumerable<UserListItem> Counted(IAsyncEnumerable<UserListItem> source)
        {
            await foreach (var item in source)
            {
                written++;
                yield return item;
            }
        }
    }

    /// <summary>What a hand-written reader does: one command, each row read straight into the list's item.</summary>
    private async IAsyncEnumerable<UserListItem> RawRowsAsync(
        string sql, IReadOnlyList<SqliteParameter> parameters, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter(parameter.ParameterName, parameter.Value));
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new UserListItem(
                Guid.Parse(reader.GetString(0)), reader.GetString(1), reader.GetString(2), Enum.Parse<UserRole>(reader.GetString(3)),
                Enum.Parse<UserStatus>(reader.GetString(4)), reader.GetDateTime(5), reader.GetDateTime(6), reader.GetInt64(7),
                reader.IsDBNull(8) ? null : reader.GetDateTime(8), reader.IsDBNull(9) ? null : reader.GetDateTime(9));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A sink that keeps nothing: it counts the bytes written to it.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public void Restart() => _length = 0;

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
