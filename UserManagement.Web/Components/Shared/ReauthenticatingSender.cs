using Mediator;
using MudBlazor;
using UserManagement.Application.Common;

namespace UserManagement.Web.Components.Shared;

/// <summary>
/// The pages' <see cref="ISender"/>: passes every message to the mediator, and when a sensitive one comes back with
/// <see cref="ReauthenticationRequiredError"/> (ASVS 5.0 7.5.1), asks for the password or an authenticator code in
/// <see cref="ReauthenticateDialog"/> and sends the message once more. The rule itself lives in the pipeline
/// (<c>AuthorizationBehavior</c>); this only turns its refusal into a prompt, so no page needs code of its own for it.
/// Cancelling the prompt returns the refusal, which the page shows like any other.
/// </summary>
public sealed class ReauthenticatingSender(ISender mediator, IDialogService dialogs) : ISender
{
    public async ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default) =>
        await WithPromptAsync(() => mediator.Send(command, cancellationToken));

    public async ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        await WithPromptAsync(() => mediator.Send(query, cancellationToken));

    public async ValueTask<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        await WithPromptAsync(() => mediator.Send(request, cancellationToken));

    public ValueTask<object?> Send(object message, CancellationToken cancellationToken = default) => mediator.Send(message, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamQuery<TResponse> query, CancellationToken cancellationToken = default) =>
        mediator.CreateStream(query, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamRequest<TResponse> request, CancellationToken cancellationToken = default) =>
        mediator.CreateStream(request, cancellationToken);

    public IAsyncEnumerable<TResponse> CreateStream<TResponse>(IStreamCommand<TResponse> command, CancellationToken cancellationToken = default) =>
        mediator.CreateStream(command, cancellationToken);

    public IAsyncEnumerable<object?> CreateStream(object message, CancellationToken cancellationToken = default) =>
        mediator.CreateStream(message, cancellationToken);

    private async Task<TResponse> WithPromptAsync<TResponse>(Func<ValueTask<TResponse>> send)
    {
        var response = await send();
        if (response is not IOutcome { Error: ReauthenticationRequiredError })
        {
            return response;
        }

        var dialog = await dialogs.ShowAsync<ReauthenticateDialog>("Confirm it's you");
        var result = await dialog.Result;
        return result is { Canceled: false } ? await send() : response;
    }
}

public static class ReauthenticationRegistration
{
    /// <summary>Makes <see cref="ReauthenticatingSender"/> the <see cref="ISender"/> that pages get.</summary>
    public static IServiceCollection AddReauthenticationPrompt(this IServiceCollection services) =>
        services.AddScoped<ISender>(sp => new ReauthenticatingSender(sp.GetRequiredService<IMediator>(), sp.GetRequiredService<IDialogService>()));
}
