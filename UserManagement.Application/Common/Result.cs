using System.Diagnostics.CodeAnalysis;

namespace UserManagement.Application.Common;

/// <summary>What every result says, whatever value it carries: did it work, and if not, why.</summary>
public interface IOutcome
{
    bool IsSuccess { get; }

    Error? Error { get; }
}

/// <summary>
/// Implemented by result types so that a pipeline step can return a failure for any message
/// without knowing the concrete result type.
/// </summary>
public interface IFailable<out TSelf> : IOutcome
{
    static abstract TSelf Failure(Error error);
}

/// <summary>The outcome of a command that returns nothing on success.</summary>
public sealed class Result : IFailable<Result>
{
    private static readonly Result SuccessResult = new(null);

    private Result(Error? error) => Error = error;

    public Error? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static Result Success() => SuccessResult;

    public static Result Failure(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Result(error);
    }

    public static implicit operator Result(Error error) => Failure(error);

    public override string ToString() => IsSuccess ? "Success" : $"Failure: {Error}";
}

/// <summary>The outcome of a command or query that returns a value on success.</summary>
public sealed class Result<T> : IFailable<Result<T>>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value of a successful result. Reading it from a failure is a bug.</summary>
    public T Value => IsSuccess
        ? _value!
        : throw new InvalidOperationException($"A failed result has no value: {Error}");

    public static Result<T> Success(T value) => new(value, null);

    public static Result<T> Failure(Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new Result<T>(default, error);
    }

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);

    public override string ToString() => IsSuccess ? $"Success: {_value}" : $"Failure: {Error}";
}
