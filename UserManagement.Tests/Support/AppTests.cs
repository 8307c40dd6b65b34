namespace UserManagement.Tests.Support;

/// <summary>Base for tests that need the app's services on a fresh database of their own.</summary>
public abstract class AppTests : IAsyncLifetime
{
    protected TestApp App { get; private set; } = null!;

    public virtual async ValueTask InitializeAsync() => App = await TestApp.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
