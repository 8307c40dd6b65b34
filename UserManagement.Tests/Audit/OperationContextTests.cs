using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Tests.Audit;

public sealed class OperationContextTests
{
    [Fact]
    public void Should_fall_back_to_system_with_a_fresh_correlation_id()
    {
        var first = OperationContext.Current;
        var second = OperationContext.Current;

        (first.ActorId, first.ActorName).ShouldBe((null, OperationContext.SystemActorName));
        first.CorrelationId.ShouldNotBe(second.CorrelationId);
    }

    [Fact]
    public async Task Should_flow_into_awaited_work_and_restore_the_previous_context_when_disposed()
    {
        var caller = new Caller(Guid.CreateVersion7(), Guid.CreateVersion7(), "ana@example.com", UserRole.Administrator, false);
        var outer = OperationContext.For(caller);

        using (OperationContext.Begin(outer))
        {
            (await Task.Run(() => OperationContext.Current)).ShouldBe(outer);
            using (OperationContext.Begin(OperationContext.System()))
            {
                OperationContext.Current.ActorName.ShouldBe(OperationContext.SystemActorName);
            }

            OperationContext.Current.ShouldBe(outer);
            outer.ActorId.ShouldBe(caller.UserId);
            outer.ActorName.ShouldBe("ana@example.com");
        }

        OperationContext.Current.ActorName.ShouldBe(OperationContext.SystemActorName);
    }

    [Fact]
    public async Task Should_not_leak_a_context_begun_inside_a_call_back_to_its_caller()
    {
        static async Task BeginInsideAsync()
        {
            await Task.Yield();
            OperationContext.Begin(OperationContext.Anonymous());
        }

        await BeginInsideAsync();

        OperationContext.Current.ActorName.ShouldBe(OperationContext.SystemActorName);
    }

    [Fact]
    public void Should_take_the_trace_id_of_the_current_activity_as_correlation_id()
    {
        using var activity = new System.Diagnostics.Activity("test").Start();

        OperationContext.NewCorrelationId().ShouldBe(activity.TraceId.ToHexString());
    }
}
