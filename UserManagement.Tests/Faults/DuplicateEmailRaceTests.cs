using UserManagement.Application.Users;
using UserManagement.Infrastructure;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Faults;

/// <summary>Issue 11, fault 3: fifty administrators create the same address at once, in every case: one user results.</summary>
public abstract class DuplicateEmailRaceTests(DatabaseProvider provider) : AppTests(provider)
{
    private const string Address = "race.condition@example.com";

    /// <summary>Fifty distinct spellings of one address: each letter's case from the bits of the variant's number.</summary>
    private static List<string> CaseVariants(int count)
    {
        var letters = Address.Select((c, i) => (c, i)).Where(x => char.IsLetter(x.c)).Select(x => x.i).ToArray();
        return Enumerable.Range(0, count).Select(n =>
        {
            var chars = Address.ToCharArray();
            for (var bit = 0; bit < letters.Length; bit++)
            {
                var upper = ((n * 2654435761u) >> bit & 1) == 1;
                chars[letters[bit]] = upper ? char.ToUpperInvariant(chars[letters[bit]]) : chars[letters[bit]];
            }

            return new string(chars);
        }).Distinct().ToList();
    }

    [Fact]
    public async Task Should_store_exactly_one_user_when_fifty_case_variants_of_one_address_are_created_at_once()
    {
        var variants = CaseVariants(50);
        variants.Count.ShouldBe(50);

        var results = await Task.WhenAll(variants.Select((email, i) =>
            Task.Run(() => App.SendFromNewScope(new CreateUserCommand($"Racer {i}", email, UserRole.Member)))));

        results.Count(r => r.IsSuccess).ShouldBe(1);
        foreach (var failure in results.Where(r => !r.IsSuccess))
        {
            failure.ShouldFailOnField(nameof(CreateUserCommand.Email)).ShouldBe([UserValidationRules.DuplicateEmailMessage]);
        }

        var stored = (await App.StoredUsersAsync()).ShouldHaveSingleItem();
        stored.Id.ShouldBe(results.Single(r => r.IsSuccess).Value);
        stored.NormalizedEmail.ShouldBe(Address.ToUpperInvariant());
    }

    public sealed class OnSqlite() : DuplicateEmailRaceTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : DuplicateEmailRaceTests(DatabaseProvider.PostgreSQL);
}
