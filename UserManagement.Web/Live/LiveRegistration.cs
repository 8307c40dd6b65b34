using Microsoft.AspNetCore.Components.Server.Circuits;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Web.Live;

/// <summary>Live updates between administrators (ADR 0016): the change broadcast and the presence registry.</summary>
public static class LiveRegistration
{
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services)
    {
        // Subscribers run in this order: the remembered session checks of a changed user are forgotten before any
        // open page refreshes because of that change.
        services.AddSingleton<LiveSessionChecks>();
        services.AddSingleton<IDomainEventSubscriber<IUserEvent>>(sp => sp.GetRequiredService<LiveSessionChecks>());
        services.AddSingleton<UserChangeBroadcast>();
        services.AddSingleton<IDomainEventSubscriber<IUserEvent>>(sp => sp.GetRequiredService<UserChangeBroadcast>());
        services.AddSingleton<InProcessEditingPresence>();
        services.AddSingleton<IEditingPresence>(sp => sp.GetRequiredService<InProcessEditingPresence>());
        services.AddScoped<CircuitPresence>();
        services.AddScoped<CircuitHandler, PresenceCircuitHandler>();
        return services;
    }
}
