using System.Buffers.Binary;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using UserManagement.Application.Accounts;
using UserManagement.Application.Audit;
using UserManagement.Application.Common;
using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Accounts;

public abstract class SignInTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Email = "ada@example.com";
    private const string Password = "analytical engine notes";

    private Task<Result<SignedIn>> SignIn(string email = Email, string password = Password) =>
        App.Send(new SignInCommand(email, password, "203.0.113.7")).AsTask();

    private async Task<User> Stored(Guid id)
    {
        await using var db = await App.OpenDbAsync();
        return await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken);
    }

    private Task<List<AuditEntry>> Entries(SecurityEventType type) => App.SecurityEntriesAsync(type);

    [Fact]
    public async Task Should_start_a_session_and_record_the_sign_in_when_the_password_is_right()
    {
        var ada = await App.CreateUserWithPassword(Email, Password, UserRole.Administrator);
        App.Clock.Advance(TimeSpan.FromMinutes(3));

        var signedIn = (await SignIn("  ADA@Example.com ")).ShouldSucceed();

        signedIn.UserId.ShouldBe(ada.Id);
        signedIn.Role.ShouldBe(UserRole.Administrator);
        signedIn.MustChangePassword.ShouldBeFalse();
        (await Stored(ada.Id)).LastSignInAt.ShouldBe(App.Clock.GetUtcNow().UtcDateTime);
        (await App.ConfirmSessionAsync(signedIn.SessionId))
            .ShouldNotBeNull().UserId.ShouldBe(ada.Id);
        var recorded = (await Entries(SecurityEventType.SignInSucceeded)).ShouldHaveSingleItem();
        recorded.TargetId.ShouldBe(ada.Id);
        recorded.Detail.ShouldBe("signed in (from 203.0.113.7)");
    }

    [Fact]
    public async Task Should_say_the_same_thing_for_an_unknown_email_and_a_wrong_password()
    {
        await App.CreateUserWithPassword(Email, Password);

        var unknown = (await SignIn("nobody@example.com")).ShouldFailWith<SignInRefusedError, SignedIn>();
        var wrong = (await SignIn(password: "not the password")).ShouldFailWith<SignInRefusedError, SignedIn>();

        unknown.Message.ShouldBe(wrong.Message);
        unknown.Message.ShouldBe(SignInRefusedError.Text);
        (await Entries(SecurityEventType.SignInFailed)).Select(e => e.Detail)
            .ShouldBe(["unknown email (from 203.0.113.7)", "wrong password (from 203.0.113.7)"], ignoreOrder: true);
    }

    [Fact]
    public async Task Should_lock_the_account_for_15_minutes_after_5_failed_attempts()
    {
        var ada = await App.CreateUserWithPassword(Email, Password);

        for (var attempt = 1; attempt <= SignInCommand.MaxFailedAttempts; attempt++)
        {
            (await SignIn(password: $"wrong guess {attempt}")).ShouldFailWith<SignInRefusedError, SignedIn>();
        }

        (await Stored(ada.Id)).LockedUntil.ShouldBe(App.Clock.GetUtcNow().UtcDateTime.AddMinutes(15));
        (await Entries(SecurityEventType.LockedOut)).Count.ShouldBe(1);
        (await SignIn()).ShouldFailWith<SignInRefusedError, SignedIn>().Message.ShouldBe(SignInRefusedError.Text);

        App.Clock.Advance(TimeSpan.FromMinutes(14));
        (await SignIn()).ShouldFailWith<SignInRefusedError, SignedIn>();

        App.Clock.Advance(TimeSpan.FromMinutes(1));
        (await SignIn()).ShouldSucceed();
        (await Stored(ada.Id)).FailedSignInCount.ShouldBe(0);
    }

    [Fact]
    public async Task Should_forget_earlier_failures_after_a_successful_sign_in()
    {
        var ada = await App.CreateUserWithPassword(Email, Password);
        for (var attempt = 1; attempt < SignInCommand.MaxFailedAttempts; attempt++)
        {
            await SignIn(password: "wrong");
        }

        (await SignIn()).ShouldSucceed();
        await SignIn(password: "wrong");

        var stored = await Stored(ada.Id);
        stored.LockedUntil.ShouldBeNull();
        stored.FailedSignInCount.ShouldBe(1);
    }

    [Fact]
    public async Task Should_count_parallel_failures_without_losing_any()
    {
        var ada = await App.CreateUserWithPassword(Email, Password);

        await Task.WhenAll(Enumerable.Range(0, SignInCommand.MaxFailedAttempts).Select(_ =>
            Task.Run(() => App.SendFromNewScope(new SignInCommand(Email, "wrong in parallel", null)))));

        (await Stored(ada.Id)).LockedUntil.ShouldNotBeNull();
    }

    [Fact]
    public async Task Should_refuse_a_disabled_user_with_the_right_password()
    {
        var ada = await App.CreateUserWithPassword(Email, Password);
        (await App.Send(new SetUserStatusCommand(ada.Id, UserStatus.Disabled, ada.Version))).ShouldSucceed();

        (await SignIn()).ShouldFailWith<SignInRefusedError, SignedIn>();
    }

    [Fact]
    public async Task Should_refuse_a_user_who_never_had_a_password()
    {
        await App.CreateUser("No password", Email);

        (await SignIn()).ShouldFailWith<SignInRefusedError, SignedIn>();
    }

    [Fact]
    public async Task Should_store_pbkdf2_hmac_sha512_with_at_least_210000_iterations_and_a_128_bit_salt()
    {
        var ada = await App.CreateUserWithPassword(Email, Password);

        var hash = Convert.FromBase64String((await Stored(ada.Id)).PasswordHash!);

        hash[0].ShouldBe((byte)0x01, "ASP.NET Core Identity v3 format");
        ((KeyDerivationPrfValue)BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1))).ShouldBe(KeyDerivationPrfValue.HmacSha512);
        BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5)).ShouldBeGreaterThanOrEqualTo(210_000u);
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9));
        saltLength.ShouldBe(16);
        (hash.Length - 13 - saltLength).ShouldBe(32, "a 256-bit subkey");
        (await Stored(ada.Id)).PasswordHash!.ShouldNotContain(Password);
    }

    [Fact]
    public async Task Should_upgrade_an_older_weaker_hash_on_the_next_successful_sign_in()
    {
        var ada = await App.CreateUserWithPassword(Email, Password);
        var legacy = new PasswordHasher<object>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }))
            .HashPassword(new object(), Password);
        await using (var db = await App.OpenDbAsync())
        {
            await db.Users.Where(u => u.Id == ada.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, legacy), TestContext.Current.CancellationToken);
        }

        (await SignIn()).ShouldSucceed();

        var upgraded = Convert.FromBase64String((await Stored(ada.Id)).PasswordHash!);
        BinaryPrimitives.ReadUInt32BigEndian(upgraded.AsSpan(5)).ShouldBe((uint)Pbkdf2PasswordHasher.IterationCount);
        (await Entries(SecurityEventType.SignInSucceeded)).Last().Detail.ShouldStartWith("signed in; hash upgraded");
        (await SignIn()).ShouldSucceed();
    }

    [Fact]
    public async Task Should_take_the_password_exactly_as_typed()
    {
        const string Spaced = "  spaces around me count  ";
        await App.CreateUserWithPassword(Email, Spaced);

        (await SignIn(password: Spaced.Trim())).ShouldFailWith<SignInRefusedError, SignedIn>();
        (await SignIn(password: Spaced)).ShouldSucceed();
    }

    [Fact]
    public void Should_never_show_the_password_in_the_messages_text()
    {
        new SignInCommand(Email, Password, null).ToString().ShouldNotContain(Password);
        new ChangeOwnPasswordCommand(Password, "another secret phrase").ToString().ShouldNotContain(Password);
        new SetTemporaryPasswordCommand(Guid.Empty, Password, 1).ToString().ShouldNotContain(Password);
    }

    [Fact]
    public async Task Should_keep_only_a_masked_form_of_an_unknown_email_in_the_security_events()
    {
        await App.CreateUserWithPassword(Email, Password);

        await App.Send(new SignInCommand("my secret passphrase typed in the email box", Password, "203.0.113.9"));

        var failed = (await App.SecurityEntriesAsync(SecurityEventType.SignInFailed)).ShouldHaveSingleItem();
        failed.TargetId.ShouldBeNull();
        failed.TargetEmail.ShouldNotBeNull().ShouldStartWith("my…");
        failed.Detail.ShouldBe("unknown email (from 203.0.113.9)");
        (await App.AuditEntriesAsync()).ShouldAllBe(e => !$"{e.TargetEmail} {e.Detail} {e.ActorName}".Contains("secret passphrase"));
    }

    private enum KeyDerivationPrfValue : uint
    {
        HmacSha1 = 0,
        HmacSha256 = 1,
        HmacSha512 = 2,
    }

    public sealed class OnSqlite() : SignInTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : SignInTests(DatabaseProvider.PostgreSQL);
}
