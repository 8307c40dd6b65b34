using FluentValidation;
using Mediator;
using UserManagement.Application.Common;

namespace UserManagement.Application.Imports;

/// <summary>
/// The dry run of an import: reads and checks every row of the file exactly as the import would, and writes
/// nothing. A file that cannot be read at all fails with a field error on <see cref="ImportValidation.FileField"/>.
/// </summary>
public sealed record PreviewImportQuery(string FileName, byte[] Content) : IQuery<Result<ImportPreview>>;

/// <summary>What an import of the file would do: how many rows it has, how many would be imported, and every refusal.</summary>
public sealed record ImportPreview(string FileName, int TotalRows, int ValidRows, IReadOnlyList<ImportRowError> Errors);

public sealed class PreviewImportQueryValidator : AbstractValidator<PreviewImportQuery>
{
    public PreviewImportQueryValidator() => RuleFor(q => q.Content).ValidImportFile();
}

public sealed class PreviewImportQueryHandler(IAppDbContextFactory dbFactory) : IQueryHandler<PreviewImportQuery, Result<ImportPreview>>
{
    public async ValueTask<Result<ImportPreview>> Handle(PreviewImportQuery query, CancellationToken cancellationToken)
    {
        var check = await ImportValidation.CheckAsync(query.Content, dbFactory, cancellationToken);
        return check.IsSuccess
            ? new ImportPreview(query.FileName, check.Value.TotalRows, check.Value.ValidRows.Count, check.Value.Errors)
            : check.Error;
    }
}

internal static class ImportFileRules
{
    /// <summary>The checks that need no reading: something was uploaded, and it is not too large.</summary>
    public static IRuleBuilderOptions<T, byte[]> ValidImportFile<T>(this IRuleBuilderInitial<T, byte[]> rule) =>
        rule.Cascade(CascadeMode.Stop)
            .Must(content => content is { Length: > 0 }).WithMessage(ImportFile.Empty)
            .Must(content => content.Length <= ImportFile.MaxBytes).WithMessage(ImportFile.TooLarge)
            .OverridePropertyName(ImportValidation.FileField);
}
