using FluentValidation;
using Microsoft.EntityFrameworkCore;
using UserManagement.Application.Common;
using UserManagement.Application.Users;

namespace UserManagement.Application.Imports;

/// <summary>A row the import refuses: the file line, the column (or "Row"), why, and the value as typed.</summary>
public sealed record ImportRowError(int Line, string Field, string Message, string? Value = null)
{
    public const string RowField = "Row";
}

/// <summary>What a file would import: the rows that pass every check, and every refusal with its line.</summary>
public sealed record ImportCheck(IReadOnlyList<ImportFileRow> ValidRows, IReadOnlyList<ImportRowError> Errors)
{
    public int TotalRows => ValidRows.Count + Errors.Select(e => e.Line).Distinct().Count();
}

/// <summary>
/// Checks every row of an import with the rules <see cref="CreateUserCommandValidator"/> uses (the same rule
/// methods, so each rule and message is written once), then for emails that repeat inside the file and emails
/// other users already have. The database look-up is done in chunks rather than once per row.
/// </summary>
public static class ImportValidation
{
    public const string FileField = "File";
    public static string DuplicateInFile(int firstLine) => $"This email is already on line {firstLine} of this file.";
    private const int LookupChunk = 500;

    private static readonly ImportFileRowValidator RowValidator = new();

    public static async Task<Result<ImportCheck>> CheckAsync(
        byte[] content, IAppDbContextFactory dbFactory, CancellationToken cancellationToken)
    {
        var file = ImportFile.Read(content);
        if (file.FileError is not null)
        {
            return ValidationError.ForField(FileField, file.FileError);
        }

        var errors = new List<ImportRowError>(file.RowErrors);
        var candidates = new List<(ImportFileRow Row, string Key)>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            var result = RowValidator.Validate(row);
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors.Select(f => new ImportRowError(row.Line, f.PropertyName, f.ErrorMessage, ValueOf(row, f.PropertyName))));
                continue;
            }

            var key = UserRules.EmailKey(row.Email);
            if (firstLineOf.TryGetValue(key, out var firstLine))
            {
                errors.Add(new ImportRowError(row.Line, nameof(ImportFileRow.Email), DuplicateInFile(firstLine), row.Email));
                continue;
            }

            firstLineOf[key] = row.Line;
            candidates.Add((row, key));
        }

        var taken = await TakenEmailsAsync(dbFactory, candidates.Select(c => c.Key), cancellationToken);
        var valid = new List<ImportFileRow>(candidates.Count);
        foreach (var (row, key) in candidates)
        {
            if (taken.Contains(key))
            {
                errors.Add(new ImportRowError(row.Line, nameof(ImportFileRow.Email), UserValidationRules.DuplicateEmailMessage, row.Email));
            }
            else
            {
                valid.Add(row);
            }
        }

        errors.Sort((a, b) => a.Line.CompareTo(b.Line));
        return new ImportCheck(valid, errors);
    }

    /// <summary>The role column as a <see cref="UserRole"/>: its name in any case; anything else is not a role.</summary>
    public static UserRole ParseRole(string? role) =>
        Enum.TryParse<UserRole>(role?.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            && !int.TryParse(role, out _)
            ? parsed
            : (UserRole)(-1);

    private static string? ValueOf(ImportFileRow row, string field) => field switch
    {
        nameof(ImportFileRow.Name) => row.Name,
        nameof(ImportFileRow.Email) => row.Email,
        nameof(ImportFileRow.Role) => row.Role,
        _ => null,
    };

    /// <summary>Which of <paramref name="keys"/> (normalized emails) other users already have.</summary>
    internal static async Task<HashSet<string>> TakenEmailsAsync(
        IAppDbContextFactory dbFactory, IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var chunk in keys.Chunk(LookupChunk))
        {
            taken.UnionWith(await TakenEmailsAsync(db, chunk, cancellationToken));
        }

        return taken;
    }

    internal static async Task<List<string>> TakenEmailsAsync(
        IAppDbContext db, IReadOnlyCollection<string> keys, CancellationToken cancellationToken) =>
        await db.Users.AsNoTracking().Where(u => keys.Contains(u.NormalizedEmail)).Select(u => u.NormalizedEmail)
            .ToListAsync(cancellationToken);

    /// <summary>The create-user rules, applied to a row as typed in the file.</summary>
    private sealed class ImportFileRowValidator : AbstractValidator<ImportFileRow>
    {
        public ImportFileRowValidator()
        {
            RuleFor(r => r.Name).ValidUserName();
            RuleFor(r => r.Email).ValidUserEmail();
            RuleFor(r => ParseRole(r.Role)).ValidRole().OverridePropertyName(nameof(ImportFileRow.Role));
        }
    }
}
