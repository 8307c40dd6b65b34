using FluentValidation.TestHelper;
using UserManagement.Application.Accounts;

namespace UserManagement.Tests.Accounts;

/// <summary>
/// The password policy, as every validator that takes a new password applies it (the one setting a temporary password
/// here): at least 12 and at most 128 characters, an accent counted with its letter; no composition rule; nothing
/// blank, common, dressed up from a common one, or a short piece repeated.
/// </summary>
public sealed class PasswordRulesTests
{
    private static TestValidationResult<SetTemporaryPasswordCommand> Validate(string password) =>
        new SetTemporaryPasswordCommandValidator().TestValidate(new SetTemporaryPasswordCommand(Guid.CreateVersion7(), password, 1));

    [Theory]
    [InlineData("elevenchars", PasswordRules.TooShort)]
    [InlineData("", PasswordRules.TooShort)]
    [InlineData("Password1234", PasswordRules.TooCommon)]
    [InlineData("QWERTYUIOP123", PasswordRules.TooCommon)]
    [InlineData("iloveyou1234", PasswordRules.TooCommon)]
    [InlineData("111111111111", PasswordRules.TooCommon)]
    [InlineData("1qaz2wsx3edc", PasswordRules.TooCommon)]
    [InlineData("Sojdlg123aljg", PasswordRules.TooCommon)]
    [InlineData("EveningCucumber", PasswordRules.TooCommon)]
    public void Should_refuse_short_and_common_passwords(string password, string message)
    {
        Validate(password).ShouldHaveValidationErrorFor(c => c.Password).WithErrorMessage(message).Only();
    }

    [Theory]
    [InlineData("            ", PasswordRules.OnlyBlanks)]
    [InlineData("\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B", PasswordRules.OnlyBlanks)]
    [InlineData("\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0\u00A0", PasswordRules.OnlyBlanks)]
    [InlineData("\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000", PasswordRules.OnlyBlanks)]
    [InlineData("ａａａａａａａａａａａａ", PasswordRules.TooCommon)]
    [InlineData("aaaaaaaaaaaa", PasswordRules.TooCommon)]
    [InlineData("correct horse battery staple", PasswordRules.TooCommon)]
    [InlineData("P@ssw0rd2026!", PasswordRules.TooCommon)]
    [InlineData("Summer2026!!", PasswordRules.TooCommon)]
    public void Should_refuse_blank_common_and_dressed_up_passwords(string password, string message)
    {
        Validate(password).ShouldHaveValidationErrorFor(c => c.Password).WithErrorMessage(message).Only();
    }

    /// <summary>A piece repeated, or accents that add characters but nothing to guess.</summary>
    [Theory]
    [InlineData("abcabcabcabc", PasswordRules.Repeated)]
    [InlineData("abc abc abc abc", PasswordRules.Repeated)]
    [InlineData("xyzwxyzwxyzw", PasswordRules.Repeated)]
    [InlineData("zq9zq9zq9zq9", PasswordRules.Repeated)]
    [InlineData("🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑🔑", PasswordRules.Repeated)]
    [InlineData("éééééééééééé", PasswordRules.TooCommon)]
    [InlineData("éüéüéüéüéüéü", PasswordRules.Repeated)]
    [InlineData("e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301", PasswordRules.TooCommon)]
    [InlineData("a\u0301\u0300\u0302\u0303\u0308\u030A\u0301\u0300\u0302\u0303\u0308", PasswordRules.TooShort)]
    [InlineData("q\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332\u0332", PasswordRules.TooShort)]
    [InlineData("tr\u0301oub\u0301ad\u0301or", PasswordRules.TooShort)]
    [InlineData("pässwörd1234", PasswordRules.TooCommon)]
    public void Should_refuse_a_short_piece_repeated_and_count_accents_with_their_letter(string password, string message)
    {
        PasswordRules.LengthOf(password).ShouldBeGreaterThanOrEqualTo(PasswordRules.MinLength, "each sample is long enough as typed");

        Validate(password).ShouldHaveValidationErrorFor(c => c.Password).WithErrorMessage(message).Only();
    }

    [Theory]
    [InlineData("abcabcabcabd")]
    [InlineData("abcabcabcabcx")]
    [InlineData("correct horse correct horse")]
    [InlineData("étés à la plage ensoleillée")]
    [InlineData("crème brûlée au café noir")]
    [InlineData("e\u0301te\u0301 a\u0300 la plage")]
    [InlineData("éééééééééééf")]
    [InlineData("Ťřes jolie maison bleue")]
    [InlineData("ab ab ab ab ab ab c")]
    public void Should_accept_passwords_that_only_come_near_a_repeat_or_carry_a_few_accents(string password)
    {
        Validate(password).ShouldNotHaveValidationErrorFor(c => c.Password);
    }

    [Fact]
    public void Should_know_at_least_the_3000_most_common_passwords_of_twelve_or_more_characters()
    {
        // ASVS 5.0 6.2.4: the top 3,000 passwords that the length rule lets through; our own list adds to them.
        CommonPasswords.Count.ShouldBeGreaterThanOrEqualTo(3000 + 1500);
    }

    [Theory]
    [InlineData("twelve chars")]
    [InlineData("correct horse battery")]
    [InlineData("alllowercaseletters")]
    [InlineData("ÄÖÜ äöü ß éè 漢字")]
    [InlineData("🔑🚪🏠🌳🐈🐕🐟🐦🌞🌧🍎🎸")]
    public void Should_accept_long_passwords_without_any_composition_rule(string password)
    {
        Validate(password).ShouldNotHaveValidationErrorFor(c => c.Password);
    }

    [Fact]
    public void Should_accept_128_characters_and_refuse_129()
    {
        Validate(new string('x', 127) + "y").ShouldNotHaveValidationErrorFor(c => c.Password);
        Validate(new string('x', 128) + "y").ShouldHaveValidationErrorFor(c => c.Password).WithErrorMessage(PasswordRules.TooLong);
        PasswordRules.LengthOf("🔑🔑").ShouldBe(2);
    }
}
