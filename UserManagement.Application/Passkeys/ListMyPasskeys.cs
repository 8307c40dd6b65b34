using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;

namespace UserManagement.Application.Passkeys;

/// <summary>
/// The caller's passkeys as their Passkeys page shows them. <see cref="Available"/>: passkeys are set up on this
/// server. <see cref="MustUse"/>: this session is held until it proves a passkey.
/// </summary>
public sealed record MyPasskeyList(bool Available, bool MustUse, IReadOnlyList<PasskeyItem> Items);

public sealed record ListMyPasskeysQuery : IQuery<Result<MyPasskeyList>>, ISignedInMessage;

public sealed class ListMyPasskeysQueryValidator : AbstractValidator<ListMyPasskeysQuery>;

public sealed class ListMyPasskeysQueryHandler(IAppDbContextFactory dbFactory, ICurrentUser currentUser, PasskeySettings settings)
    : IQueryHandler<ListMyPasskeysQuery, Result<MyPasskeyList>>
{
    public async ValueTask<Result<MyPasskeyList>> Handle(ListMyPasskeysQuery query, CancellationToken cancellationToken)
    {
        var caller = (await currentUser.GetCallerAsync(cancellationToken))!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return new MyPasskeyList(settings.IsConfigured, caller.MustUsePasskey, await db.Passkeys.ItemsOfAsync(caller.UserId, cancellationToken));
    }
}

internal static class PasskeyItems
{
    /// <summary>A user's passkeys, oldest first.</summary>
    public static async Task<IReadOnlyList<PasskeyItem>> ItemsOfAsync(this IQueryable<Passkey> passkeys, Guid userId, CancellationToken cancellationToken) =>
        await passkeys.AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id)
            .Select(p => new PasskeyItem(p.Id, p.Name, p.CreatedAt, p.LastUsedAt, p.BackedUp))
            .ToListAsync(cancellationToken);
}
