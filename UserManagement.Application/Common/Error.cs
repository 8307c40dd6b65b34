namespace UserManagement.Application.Common;

/// <summary>An expected failure of a command or query. The UI decides where to show it by its type.</summary>
public abstract record Error(string Message);

/// <summary>The message was refused by its validator: field name -> messages, ready to show on the form.</summary>
public sealed record ValidationError(IReadOnlyDictionary<string, string[]> Fields)
    : Error("Some fields need your attention.")
{
    public static ValidationError ForField(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });

    public IReadOnlyList<string> MessagesFor(string field) =>
        Fields.TryGetValue(field, out var messages) ? messages : [];
}

public sealed record NotFoundError(string Message) : Error(Message);

/// <summary>Someone else changed the record first. <see cref="Current"/> is what is stored now.</summary>
public sealed record ConflictError<TCurrent>(string Message, TCurrent Current) : Error(Message);

public sealed record ForbiddenError(string Message) : Error(Message);

/// <summary>
/// A sensitive action needs the caller to confirm who they are first (password or authenticator code, within the
/// last five minutes). The UI asks for it and sends the message again.
/// </summary>
public sealed record ReauthenticationRequiredError() : Error(ReauthenticationRequiredError.Text)
{
    public const string Text = "For this change, confirm it's you: enter your password or an authenticator code again.";
}
