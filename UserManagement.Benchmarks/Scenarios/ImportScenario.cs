using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Imports;
using UserManagement.Application.Jobs;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Web;

namespace UserManagement.Benchmarks.Scenarios;

/// <summary>
/// The CSV import's background job against a raw batched insert of the same rows, in the same run, each on a fresh
/// database file. The import side stores an accepted import's rows with its job (as <see cref="StartImportCommandHandler"/>
/// does) and runs <see cref="ImportUsersJobHandler"/> over them: the domain, the audit trail interceptor, the job's
/// bookkeeping, and logging at Information into a file (the app's level). The raw side inserts the very users and
/// audit entries the import wrote into a second fresh file with prepared Microsoft.Data.Sqlite commands, a batch of
/// <see cref="ImportUsersJobHandler.BatchSize"/> per transaction, with the same pragmas and triggers. A small
/// warm-up import first, so neither side pays for JIT compilation.
/// </summary>
public sealed class ImportScenario(int rows, TextWriter log, bool logToConsole = false)
{
    public const string Name = "Import users from CSV (background job: domain, audit entry per user, job bookkeeping)";

    private readonly SqlTimer _sql = new();
    private (double Milliseconds, int Commands) _importSql;

    public async Task<ScenarioResult> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "um-bench", "import-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            await ImportAsync(Path.Combine(folder, "warm-up.db"), Math.Min(1_000, rows));
            var (importFile, import) = await ImportAsync(Path.Combine(folder, "import.db"), rows);
            var raw = await RawAsync(importFile, Path.Combine(folder, "raw.db"));
            var result = new ScenarioResult(
                Invariant($"{Name}, {rows:N0} rows"), new Samples([import]), "raw batched INSERT of the same users and audit entries, same triggers",
                new Samples([raw]), "≥ 50% of raw", raw / import >= 0.5,
                Invariant($"import {rows / import * 1000:N0} rows/s (SQL {_importSql.Milliseconds / import:P0} of it, {_importSql.Commands:N0} commands), raw {rows / raw * 1000:N0} rows/s"));
            log.WriteLine(Invariant($"{result.Name}: import {import:0} ms, raw {raw:0} ms, ratio {result.Ratio:0.00} ({result.Note})"));
            return result;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Imports <paramref name="count"/> rows into a fresh database; returns its file and the milliseconds the job took.</summary>
    private async Task<(string File, double Milliseconds)> ImportAsync(string file, int count)
    {
        var connectionString = $"Data Source={file}";
        var logFile = Path.ChangeExtension(file, ".log");
        await using (var services = BuildServices(connectionString, logFile))
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
            var jobId = await AcceptAsync(services.GetRequiredService<IAppDbContextFactory>(), count);
            var handler = ActivatorUtilities.CreateInstance<ImportUsersJobHandler>(services);
            _sql.Reset();
            var watch = Stopwatch.StartNew();
            await handler.Handle(new ImportUsersJob(jobId), CancellationToken.None);
            watch.Stop();
            _importSql = (_sql.Milliseconds, _sql.Commands);

            await using var db = await services.GetRequiredService<IAppDbContextFactory>().CreateDbContextAsync();
            var job = db.Jobs.Single(j => j.Id == jobId);
            ScenarioRunner.Check(job.Status == JobStatus.Completed && job.Done == count, $"the import completed ({job.Status}, {job.Done} of {count})");
            var correlation = JobRunner.CorrelationId(jobId);
            var audited = db.AuditEntries.Count(e => e.Action == AuditActions.UserCreated && e.CorrelationId == correlation && e.ActorName == Caller.Email);
            ScenarioRunner.Check(audited == count, $"every imported user has its audit entry ({audited} of {count})");
            return (file, watch.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>
    /// Stores an accepted import (the job and its pending rows), as the start command does, asked for by a stored
    /// administrator: the runner stops a job whose requester is not one (JobRequester).
    /// </summary>
    private static async Task<Guid> AcceptAsync(IAppDbContextFactory factory, int count)
    {
        await using var db = await factory.CreateDbContextAsync();
        var requester = User.Create("Bench Administrator", Caller.Email, UserRole.Administrator, DateTime.UtcNow);
        db.Users.Add(requester);
        var job = Job.Create(JobKind.UserImport, "bench.csv", requester.Id, requester.Email, count, DateTime.UtcNow);
        db.Jobs.Add(job);
        db.ImportRows.AddRange(Enumerable.Range(1, count).Select(i => ImportRow.Create(
            job.Id, i, i + 1, $"Imported Person {i}", $"imported.person{i}@example.com", i % 10 == 0 ? UserRole.Administrator : UserRole.Member)));
        await db.SaveChangesAsync();
        return job.Id;
    }

    /// <summary>Inserts the users and user-created audit entries of <paramref name="source"/> into a fresh database; returns the milliseconds.</summary>
    private async Task<double> RawAsync(string source, string file)
    {
        var connectionString = $"Data Source={file}";
        await using (var services = BuildServices(connectionString, Path.ChangeExtension(file, ".log")))
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        }

        // The imported users and their entries only, not the administrator who asked for the import.
        var users = await ReadAsync(source, "SELECT * FROM Users WHERE Email LIKE 'imported.person%' ORDER BY rowid");
        var entries = await ReadAsync(source, $"SELECT * FROM AuditEntries WHERE Action = '{AuditActions.UserCreated}' AND TargetEmail LIKE 'imported.person%' ORDER BY Id");
        await using var raw = await ScenarioRunner.OpenRawAsync(connectionString);
        await using var insertUser = Insert(raw, "Users", users.Columns);
        await using var insertEntry = Insert(raw, "AuditEntries", entries.Columns);
        var watch = Stopwatch.StartNew();
        for (var start = 0; start < users.Rows.Count; start += ImportUsersJobHandler.BatchSize)
        {
            await using var transaction = (SqliteTransaction)await raw.BeginTransactionAsync();
            insertUser.Transaction = transaction;
            insertEntry.Transaction = transaction;
            var end = Math.Min(start + ImportUsersJobHandler.BatchSize, users.Rows.Count);
            for (var i = start; i < end; i++)
            {
                await ExecuteAsync(insertUser, users.Rows[i]);
                await ExecuteAsync(insertEntry, entries.Rows[i]);
            }

            await transaction.CommitAsync();
        }

        watch.Stop();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<(List<string> Columns, List<object[]> Rows)> ReadAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return (columns, rows);
    }

    private static SqliteCommand Insert(SqliteConnection connection, string table, List<string> columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";
        for (var i = 0; i < columns.Count; i++)
        {
            command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        }

        command.Prepare();
        return command;
    }

    private static async Task ExecuteAsync(SqliteCommand command, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        await command.ExecuteNonQueryAsync();
    }

    private ServiceProvider BuildServices(string connectionString, string logFile)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = connectionString })
            .Build();
        var services = new ServiceCollection();
        // The app's levels (appsettings.json): Information, EF Core's commands at Warning; into a file, or (--log console) to
        // the console as the app does.
        services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);
            if (logToConsole)
            {
                logging.AddSimpleConsole();
            }
            else
            {
                logging.AddProvider(new FileLoggerProvider(logFile));
            }
        });
        services.AddUserManagement(configuration, AppContext.BaseDirectory);
        services.AddSingleton<ICurrentUser>(new ScenarioRunner.Administrator());
        services.AddSingleton<IInterceptor>(_sql);
        return services.BuildServiceProvider();
    }

    /// <summary>Adds up the time EF Core's commands take, so the figure says how much of the import is SQL.</summary>
    private sealed class SqlTimer : DbCommandInterceptor
    {
        public double Milliseconds { get; private set; }

        public int Commands { get; private set; }

        public void Reset() => (Milliseconds, Commands) = (0, 0);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            Add(eventData);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> NonQueryExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Add(eventData);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<object?> ScalarExecutedAsync(
            DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            Add(eventData);
            return ValueTask.FromResult(result);
        }

        private void Add(CommandExecutedEventData eventData)
        {
            Milliseconds += eventData.Duration.TotalMilliseconds;
            Commands++;
        }
    }

    private static Caller Caller => ScenarioRunner.Administrator.Caller;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Formats every enabled log line and writes it to a file, as a log sink does.</summary>
    private sealed class FileLoggerProvider(string path) : ILoggerProvider
    {
        private readonly StreamWriter _writer = new(path);

        public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName, _writer);

        public void Dispose() => _writer.Dispose();

        private sealed class FileLogger(string category, StreamWriter writer) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = $"{DateTime.UtcNow:O} {logLevel} {category}[{eventId.Id}] {formatter(state, exception)}";
                lock (writer)
                {
                    writer.WriteLine(line);
                }
            }
        }
    }
}
