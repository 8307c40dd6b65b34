using Bunit;
using Bunit.Extensions.WaitForHelpers;
using Bunit.TestDoubles;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using UserManagement.Application.Users;
using UserManagement.Web.Operations;

namespace UserManagement.Tests.Support;

/// <summary>
/// The one shared bUnit context: MudBlazor services with instant snackbars, loose JS interop, a controllable
/// clock for debounces, and the app's real validators and mediator on a fresh SQLite database, reached through
/// a <see cref="RecordingSender"/>. Pages render through <see cref="TestRouter"/> with the providers.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    // What LogCapture writes for the error boundary's log line (1420).
    private static readonly string BugLine = $"{LogLevel.Error} {typeof(UserManagement.Web.Components.Layout.AppErrorBoundary).FullName}:";

    protected TestApp App { get; private set; } = null!;

    protected RecordingSender Sender { get; private set; } = null!;

    protected FakeTimeProvider Clock { get; } = new(TestApp.Start);

    protected BunitAuthorizationContext Authorization { get; private set; } = null!;

    /// <summary>True to send through the app's re-authentication prompt (<c>ReauthenticatingSender</c>).</summary>
    protected virtual bool PromptsForReauthentication => false;

    /// <summary>Every line the components logged.</summary>
    protected LogCapture Logs { get; } = new();

    protected TestNavigationManager Navigation => Services.GetRequiredService<TestNavigationManager>();

    /// <summary>True for pages that start background work: the app's message bus runs too.</summary>
    protected virtual bool WithBus => false;

    /// <summary>Configuration for the app, beside its defaults (passkey settings, say).</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>The host's lifetime: <c>Lifetime.StopApplication()</c> starts stopping the server.</summary>
    protected TestLifetime Lifetime { get; } = new();

    /// <summary>
    /// True in a test that makes a bug reach the error boundary on purpose. In any other test a bug the boundary caught
    /// fails the test when it ends, with the exception, even when the test's own assertions passed.
    /// </summary>
    protected bool ExpectsBug { get; set; }

    public virtual async ValueTask InitializeAsync()
    {
        App = await TestApp.StartAsync(bus: WithBus, settings: Settings);
        Sender = new RecordingSender(App.Services.GetRequiredService<IMediator>());

        // The machines running the suite are shared and busy: every wait gets time to see its condition come true.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.ShowTransitionDuration = 0;
            options.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<TestNavigationManager>();
        Services.AddSingleton<NavigationManager>(sp => sp.GetRequiredService<TestNavigationManager>());
        Services.AddSingleton<ILoggerFactory>(new LoggerFactory([Logs]));
        if (PromptsForReauthentication)
        {
            // As in the app: a sensitive message refused for want of re-authentication opens the prompt.
            Services.AddScoped<ISender>(sp => new UserManagement.Web.Components.Shared.ReauthenticatingSender(Sender, sp.GetRequiredService<MudBlazor.IDialogService>()));
        }
        else
        {
            Services.AddSingleton<ISender>(Sender);
        }
        Services.AddSingleton(new ServerStopping(Lifetime));
        Services.AddScoped<UserManagement.Web.Components.Shared.PasskeyBrowser>();
        Services.AddSingleton(App.Services.GetRequiredService<IValidator<CreateUserCommand>>());
        Services.AddSingleton(App.Services.GetRequiredService<IValidator<UpdateUserCommand>>());
        Services.AddSingleton(App.Services.GetRequiredService<IValidator<Application.Accounts.SetTemporaryPasswordCommand>>());
        // Live updates (ADR 0016): the app's broadcast and presence registry; the page's user is the caller of App.Send,
        // so its own changes are not "someone else's".
        Services.AddSingleton(App.Get<UserManagement.Web.Live.UserChangeBroadcast>());
        Services.AddSingleton(App.Get<UserManagement.Web.Live.IEditingPresence>());
        Services.AddSingleton(App.Get<Application.Accounts.SessionValidator>());
        Services.AddScoped<UserManagement.Web.Live.CircuitPresence>();
        Authorization = AddAuthorization();
        Authorization.SetAuthorized(TestCurrentUser.Administrator.Email).SetRoles("Administrator")
            .SetClaims(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, TestCurrentUser.Administrator.UserId.ToString()));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await App.DisposeAsync();
        Lifetime.Dispose();
        GC.SuppressFinalize(this);
        var bugs = Logs.Lines.Where(l => l.StartsWith(BugLine, StringComparison.Ordinal)).ToList();
        if (bugs.Count > 0 && !ExpectsBug)
        {
            throw new ShouldAssertException($"A bug reached the error boundary:{Environment.NewLine}{string.Join(Environment.NewLine, bugs)}");
        }
    }

    /// <summary>
    /// Renders one component with the MudBlazor providers and the error boundary around it, as the app's layout does:
    /// for a part of a page that opens dialogs, popovers or snackbars.
    /// </summary>
    protected IRenderedComponent<WithProviders> RenderWithProviders<TComponent>(Action<ComponentParameterCollectionBuilder<TComponent>> parameters)
        where TComponent : IComponent =>
        Render<WithProviders>(p => p.AddChildContent(parameters));

    /// <summary>Opens <paramref name="url"/> in the app's router, as a browser would.</summary>
    protected IRenderedComponent<TestRouter> Open(string url)
    {
        Navigation.NavigateTo(url);
        return Render<TestRouter>();
    }

    /// <summary>Lets debounce timers that read the clock fire.</summary>
    protected void Wait(int milliseconds) => Clock.Advance(TimeSpan.FromMilliseconds(milliseconds));

    /// <summary>
    /// Moves the clock on by <paramref name="milliseconds"/> until <paramref name="assertion"/> holds, again and again
    /// for up to the default wait in real time. One step is not always enough: a poll still busy with its last tick
    /// skips the tick the clock gives it, and a timer the page arms only after the step (its work is asynchronous)
    /// waits for the next one. Moving the clock further is harmless to a debounce or a poll.
    /// </summary>
    protected void WaitUntil<TComponent>(IRenderedComponent<TComponent> cut, int milliseconds, Action assertion)
        where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(cut);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            Wait(milliseconds);
            try
            {
                cut.WaitForAssertion(assertion, TimeSpan.FromMilliseconds(250));
                return;
            }
            catch (WaitForFailedException) when (System.Diagnostics.Stopwatch.GetElapsedTime(started) < DefaultWaitTimeout)
            {
                // Not yet: another step.
            }
        }
    }
}
