using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support.Databases;
using UserManagement.Web;

namespace UserManagement.Tests.Support;

/// <summary>
/// The application's real services (mediator, validation step, handlers, EF Core) on a fresh database, migrated, with
/// a clock the test controls: a SQLite file in a temp folder unless the test gives it another <see cref="TestDatabase"/>.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly AsyncServiceScope _scope;
    private readonly List<IHostedService> _started = [];
    private readonly TempFolder _folder;

    private TestApp(
        ServiceProvider services, FakeTimeProvider clock, TestCurrentUser caller, LogCapture logs, TempFolder folder, TestDatabase database)
    {
        Faults = services.GetRequiredService<FaultInjection>();
        Published = services.GetRequiredService<PublishedEvents>();
        Commands = services.GetRequiredService<CommandLog>();
        Logs = logs;
        _services = services;
        Clock = clock;
        Caller = caller;
        _scope = services.CreateAsyncScope();
        _folder = folder;
        Database = database;
    }

    public FakeTimeProvider Clock { get; }

    /// <summary>Every log line the app wrote, at every level.</summary>
    public LogCapture Logs { get; }

    /// <summary>Who sends the messages: an Administrator unless the test says otherwise.</summary>
    public TestCurrentUser Caller { get; }

    /// <summary>The app's own folder: its keys, and its database file on SQLite.</summary>
    public string Directory => _folder.Path;

    /// <summary>Fails the next commit or a chosen statement, on cue.</summary>
    public FaultInjection Faults { get; }

    /// <summary>The queries sent to the database.</summary>
    public CommandLog Commands { get; }

    /// <summary>Every event published after a commit, in order.</summary>
    public PublishedEvents Published { get; }

    /// <summary>The app's database, for reading and writing behind its back.</summary>
    public TestDatabase Database { get; }

    /// <summary>The app's <c>ConnectionStrings:Default</c>.</summary>
    public string ConnectionString => Database.ConnectionString;

    public IServiceProvider Services => _scope.ServiceProvider;

    public IMediator Mediator => Services.GetRequiredService<IMediator>();

    /// <summary>
    /// Starts the app. With <paramref name="bus"/> the message bus runs too (its hosted services started after the
    /// migrations, as in the web app), so background messages are handled; <paramref name="settings"/> add to or
    /// override the configuration; <paramref name="configureServices"/> adds or replaces services after the app's
    /// own (fault injection, say). The app runs on <paramref name="database"/> when given, and disposes it with itself;
    /// on a SQLite file of its own otherwise.
    /// </summary>
    public static async Task<TestApp> StartAsync(
        bool bus = false, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null,
        TestDatabase? database = null)
    {
        var folder = new TempFolder();
        var directory = folder.Path;
        database ??= new SqliteTestDatabase(directory);
        var values = new Dictionary<string, string?>(database.Settings)
        {
            ["Security:KeysDirectory"] = "keys",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        var logs = new LogCapture();
        // Everything the app logs, except each SQL command (as in appsettings.json): logging 20,000 inserts of an
        // import costs ten times the inserts themselves.
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning));
        services.AddUserManagement(configuration, directory);
        var clock = new FakeTimeProvider(Start);
        services.AddSingleton<TimeProvider>(clock);
        var caller = new TestCurrentUser(clock);
        services.AddSingleton<ICurrentUser>(caller);
        services.AddSingleton<FaultInjection>();
        services.AddSingleton<CommandLog>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<CommandLog>());
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<FaultInjection>());
        services.AddSingleton(new PublishedEvents(database));
        services.AddSingleton<IDomainEventSubscriber<IDomainEvent>>(sp => sp.GetRequiredService<PublishedEvents>());
        configureServices?.Invoke(services);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await provider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        var app = new TestApp(provider, clock, caller, logs, folder, database);
        if (bus)
        {
            foreach (var hosted in provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(TestContext.Current.CancellationToken);
                app._started.Add(hosted);
            }
        }

        return app;
    }

    /// <summary>Sends a message the way one circuit would: through the real pipeline in this app's scope.</summary>
    public ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command) => Mediator.Send(command, TestContext.Current.CancellationToken);

    public ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query) => Mediator.Send(query, TestContext.Current.CancellationToken);

    /// <summary>Sends from a scope of its own, like a second administrator's circuit.</summary>
    public async Task<TResponse> SendFromNewScope<TResponse>(ICommand<TResponse> command)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, TestContext.Current.CancellationToken);
    }

    /// <summary>Creates a user through the real command and returns what is stored.</summary>
    public async Task<UserDetails> CreateUser(
        string name = "Ada Lovelace", string? email = null, UserRole role = UserRole.Member)
    {
        var created = await Send(new CreateUserCommand(name, email ?? $"user-{Guid.NewGuid():N}@example.com", role));
        created.IsSuccess.ShouldBeTrue(created.ToString());
        var details = await Send(new GetUserQuery(created.Value));
        return details.Value;
    }

    /// <summary>
    /// Stores an active Administrator and makes it the caller. Background jobs need one: the job runner stops a job
    /// whose requester is not a stored, active administrator (<see cref="Application.Jobs.JobRequester"/>), and the
    /// default caller is not stored.
    /// </summary>
    public async Task<UserDetails> ActAsStoredAdministratorAsync(string email = "tester@example.com")
    {
        var administrator = await CreateUser("Stored Tester", email, UserRole.Administrator);
        Caller.ActAs(administrator);
        return administrator;
    }

    /// <summary>Creates a user who can sign in with <paramref name="password"/> (not a temporary one).</summary>
    public async Task<UserDetails> CreateUserWithPassword(
        string email, string password, UserRole role = UserRole.Member, string name = "Signer")
    {
        var user = await CreateUser(name, email, role);
        var hasher = _services.GetRequiredService<IPasswordHasher>();
        await using (var db = await OpenDbAsync())
        {
            var stored = await db.Users.SingleAsync(u => u.Id == user.Id);
            stored.SetPassword(hasher.Hash(password), temporary: false, Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
        }

        return (await Send(new GetUserQuery(user.Id))).Value;
    }

    /// <summary>
    /// Who the real session validator says <paramref name="sessionId"/> belongs to now, as every message asks it; null
    /// when the session no longer counts (ended, expired, idle, or its user changed).
    /// </summary>
    public Task<Caller?> ConfirmSessionAsync(Guid sessionId) =>
        Get<SessionValidator>().ConfirmAsync(sessionId, TestContext.Current.CancellationToken);

    /// <summary>Makes the caller whoever the session (which must still count) confirms as now, and returns it.</summary>
    public async Task<Caller> ActAsConfirmedSessionAsync(Guid sessionId)
    {
        var confirmed = (await ConfirmSessionAsync(sessionId)).ShouldNotBeNull($"session {sessionId} no longer counts");
        Caller.ActAs(confirmed);
        return confirmed;
    }

    /// <summary>Creates a user who signs in with <paramref name="password"/>, signs them in, and returns them as stored then and the session.</summary>
    public async Task<(UserDetails User, SignedIn Session)> CreateSignedInUser(
        string email, string password, UserRole role = UserRole.Member, string name = "Signer")
    {
        var user = await CreateUserWithPassword(email, password, role, name);
        var session = (await Send(new SignInCommand(email, password, null))).ShouldSucceed();
        return ((await Send(new GetUserQuery(user.Id))).Value, session);
    }

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A context straight on the database, for asserting what is stored.</summary>
    public async Task<AppDbContext> OpenDbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();

    /// <summary>The audit trail as stored, in the order it was written.</summary>
    public async Task<List<AuditEntry>> AuditEntriesAsync()
    {
        await using var db = await OpenDbAsync();
        return await db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>The trail's entries recording one kind of security event, oldest first.</summary>
    public async Task<List<AuditEntry>> SecurityEntriesAsync(SecurityEventType type)
    {
        var action = AuditActions.ForSecurityEvent(type);
        return [.. (await AuditEntriesAsync()).Where(e => e.Action == action)];
    }

    public async Task<List<User>> StoredUsersAsync()
    {
        await using var db = await OpenDbAsync();
        return await db.Users.AsNoTracking().ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_started))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _scope.DisposeAsync();
        await _services.DisposeAsync();
        await Database.DisposeAsync();
        _folder.Dispose();
    }
}
