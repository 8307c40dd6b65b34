using UserManagement.Application.Common;

namespace UserManagement.Tests.Support;

/// <summary>Assertions that say what kind of failure a result holds and show the result when they fail.</summary>
public static class ResultAssertions
{
    public static T ShouldSucceed<T>(this Result<T> result)
    {
        result.IsSuccess.ShouldBeTrue($"expected success, got {result}");
        return result.Value;
    }

    public static void ShouldSucceed(this Result result) =>
        result.IsSuccess.ShouldBeTrue($"expected success, got {result}");

    public static TError ShouldFailWith<TError>(this Result result)
        where TError : Error
    {
        result.IsSuccess.ShouldBeFalse("expected a failure");
        return result.Error.ShouldBeOfType<TError>();
    }

    public static TError ShouldFailWith<TError, T>(this Result<T> result)
        where TError : Error
    {
        result.IsSuccess.ShouldBeFalse($"expected a failure, got {result}");
        return result.Error.ShouldBeOfType<TError>();
    }

    /// <summary>Asserts a validation failure whose only failing field is <paramref name="field"/>.</summary>
    public static string[] ShouldFailOnField<T>(this Result<T> result, string field)
    {
        var error = result.ShouldFailWith<ValidationError, T>();
        error.Fields.Keys.ShouldBe([field], $"failing fields: {string.Join(", ", error.Fields.Keys)}");
        return error.Fields[field];
    }

    public static string[] ShouldFailOnField(this Result result, string field)
    {
        var error = result.ShouldFailWith<ValidationError>();
        error.Fields.Keys.ShouldBe([field], $"failing fields: {string.Join(", ", error.Fields.Keys)}");
        return error.Fields[field];
    }
}
