using UserManagement.Infrastructure;

namespace UserManagement.Tests.Support;

/// <summary>
/// Base for tests that need the app's services on a fresh database of their own, on <paramref name="provider"/>. A class
/// whose behaviour must hold on both providers is abstract and takes the provider, with two nested classes that choose
/// it (<c>public sealed class OnSqlite() : CreateUserTests(DatabaseProvider.Sqlite);</c> and <c>OnPostgreSql</c>), so
/// one file runs on both and the test names say which; a class that is about one provider says so with
/// <see cref="OneProviderAttribute"/>. <c>ProviderCoverageTests</c> holds every class to one of the two.
/// </summary>
public abstract class AppTests(DatabaseProvider provider = DatabaseProvider.Sqlite) : IAsyncLifetime
{
    protected TestApp App { get; private set; } = null!;

    protected DatabaseProvider Provider => provider;

    public virtual async ValueTask InitializeAsync() => App = await TestApp.StartAsync(provider: provider);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// Marks a test class that runs on one provider only, and says why (it is about SQLite's file, locks or plans, say).
/// Every other class of app tests runs on both: see <see cref="AppTests"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OneProviderAttribute(string why) : Attribute
{
    public string Why { get; } = why;
}
