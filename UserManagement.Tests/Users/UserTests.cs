using UserManagement.Application.Users;

namespace UserManagement.Tests.Users;

/// <summary>The entity guards its own invariants, whoever calls it.</summary>
public sealed class UserTests
{
    private static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Should_refuse_to_create_a_user_with_an_invalid_name_email_or_role()
    {
        Should.Throw<ArgumentException>(() => User.Create(" ", "a@example.com", UserRole.Member, Now));
        Should.Throw<ArgumentException>(() => User.Create("Ada", "nope", UserRole.Member, Now));
        Should.Throw<ArgumentOutOfRangeException>(() => User.Create("Ada", "a@example.com", (UserRole)3, Now));
    }

    [Fact]
    public void Should_refuse_local_time()
    {
        Should.Throw<ArgumentException>(() =>
            User.Create("Ada", "a@example.com", UserRole.Member, DateTime.SpecifyKind(Now, DateTimeKind.Local)));
    }

    [Fact]
    public void Should_keep_the_user_unchanged_when_an_update_is_invalid()
    {
        var user = User.Create("Ada", "a@example.com", UserRole.Member, Now);

        Should.Throw<ArgumentException>(() => user.Update("Ada\u202E", "a@example.com", UserRole.Member, Now.AddDays(1)));

        user.Name.ShouldBe("Ada");
        user.Version.ShouldBe(1);
        user.UpdatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Should_move_the_version_and_timestamp_on_each_change_only()
    {
        var user = User.Create("Ada", "a@example.com", UserRole.Member, Now);

        user.Update("Ada", "a@example.com", UserRole.Member, Now.AddDays(1)).ShouldBeFalse();
        user.Update("Ada", "a@example.com", UserRole.Administrator, Now.AddDays(2)).ShouldBeTrue();
        user.SetStatus(UserStatus.Disabled, Now.AddDays(3)).ShouldBeTrue();
        user.SetStatus(UserStatus.Disabled, Now.AddDays(4)).ShouldBeFalse();

        user.Version.ShouldBe(3);
        user.UpdatedAt.ShouldBe(Now.AddDays(3));
        user.CreatedAt.ShouldBe(Now);
    }

    [Fact]
    public void Should_give_time_ordered_version_7_ids()
    {
        var first = User.Create("A", "a@example.com", UserRole.Member, Now);
        var second = User.Create("B", "b@example.com", UserRole.Member, Now.AddMilliseconds(1));

        first.Id.Version.ShouldBe(7);
        first.Id.CompareTo(second.Id).ShouldBeLessThan(0);
    }
}
