using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Audit;

public sealed class InProcessDomainEventPublisherTests
{
    private static readonly UserRef Ada = new(Guid.CreateVersion7(), "Ada", "ada@example.com");

    private sealed class Journal
    {
        public List<string> Lines { get; } = [];
    }

    private sealed class OnUserCreated(Journal journal) : IDomainEventSubscriber<UserCreated>
    {
        public ValueTask HandleAsync(UserCreated domainEvent, OperationContext context, CancellationToken cancellationToken)
        {
            journal.Lines.Add($"created {domainEvent.User.Name} by {context.ActorName}");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class OnAnyUserEvent(Journal journal) : IDomainEventSubscriber<IUserEvent>
    {
        public ValueTask HandleAsync(IUserEvent domainEvent, OperationContext context, CancellationToken cancellationToken)
        {
            journal.Lines.Add($"user event {domainEvent.GetType().Name}");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Failing : IDomainEventSubscriber<UserCreated>
    {
        public ValueTask HandleAsync(UserCreated domainEvent, OperationContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("subscriber broke");
    }

    [Fact]
    public async Task Should_call_the_subscribers_of_each_event_and_its_interfaces_in_order_and_survive_a_failing_one()
    {
        var logs = new LogCapture();
        var services = new ServiceCollection()
            .AddLogging(l => l.AddProvider(logs))
            .AddSingleton<Journal>()
            .AddScoped<IDomainEventSubscriber<UserCreated>, Failing>()
            .AddScoped<IDomainEventSubscriber<UserCreated>, OnUserCreated>()
            .AddScoped<IDomainEventSubscriber<IUserEvent>, OnAnyUserEvent>()
            .AddSingleton<InProcessDomainEventPublisher>()
            .BuildServiceProvider();
        var context = new OperationContext(Guid.CreateVersion7(), "ana@example.com", "c-1");
        var now = TestApp.Start.UtcDateTime;

        await services.GetRequiredService<InProcessDomainEventPublisher>().PublishAsync(
            [new CommittedEvent(new UserCreated(Ada, UserRole.Member, UserStatus.Active, now), context),
             new CommittedEvent(new UserUnlocked(Ada, now), context)],
            TestContext.Current.CancellationToken);

        services.GetRequiredService<Journal>().Lines.ShouldBe(
            ["created Ada by ana@example.com", "user event UserCreated", "user event UserUnlocked"]);
        logs.Records.ShouldContain(r => r.EventId.Id == 1397 && r.Level == LogLevel.Error && r.Message.Contains("Failing failed on UserCreated of operation c-1"));
    }
}
