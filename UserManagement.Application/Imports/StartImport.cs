using FluentValidation;
using Mediator;
using UserManagement.Application.Common;
using UserManagement.Application.Jobs;

namespace UserManagement.Application.Imports;

/// <summary>
/// Accepts an import: checks the file again (the database may have changed since the dry run), stores its valid
/// rows with a new job and queues the job for the background worker, all in one transaction. Returns the job id
/// once that is stored; the users are created in the background. A file with an Administrator row needs a recent
/// re-authentication, as creating an Administrator does.
/// </summary>
public sealed record StartImportCommand(string FileName, byte[] Content) : ICommand<Result<Guid>>, IRequiresReauthentication
{
    public ValueTask<bool> RequiresReauthenticationAsync(AdministrativePower power, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Content is not null && ImportFile.Read(Content).Rows.Any(row => AdministrativePower.Grants(ImportValidation.ParseRole(row.Role))));
}

public sealed class StartImportCommandValidator : AbstractValidator<StartImportCommand>
{
    public StartImportCommandValidator()
    {
        RuleFor(c => c.FileName).NotEmpty().WithMessage("The file has no name.").MaximumLength(200)
            .WithMessage("The file name must be at most 200 characters.");
        RuleFor(c => c.Content).ValidImportFile();
    }
}

public sealed class StartImportCommandHandler(
    IAppDbContextFactory dbFactory, IBackgroundWork background, ICurrentUser currentUser, TimeProvider clock)
    : ICommandHandler<StartImportCommand, Result<Guid>>
{
    public const string NothingToImport = "The file has no valid rows to import. Fix the rows listed and upload it again.";

    public async ValueTask<Result<Guid>> Handle(StartImportCommand command, CancellationToken cancellationToken)
    {
        var check = await ImportValidation.CheckAsync(command.Content, dbFactory, cancellationToken);
        if (!check.IsSuccess)
        {
            return check.Error;
        }

        var rows = check.Value.ValidRows;
        if (rows.Count == 0)
        {
            return ValidationError.ForField(ImportValidation.FileField, NothingToImport);
        }

        // The pipeline let only a signed-in administrator through; the job remembers who, for attribution.
        var caller = await currentUser.GetCallerAsync(cancellationToken)
            ?? throw new InvalidOperationException("An import was started without a caller.");
        var job = Job.Create(JobKind.UserImport, command.FileName.Trim(), caller.UserId, caller.Email, rows.Count, clock.GetUtcNow().UtcDateTime);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Jobs.Add(job);
        db.ImportRows.AddRange(rows.Select((row, index) => ImportRow.Create(
            job.Id, index + 1, row.Line, row.Name, row.Email, ImportValidation.ParseRole(row.Role))));
        await background.SaveChangesAndEnqueueAsync(db, new ImportUsersJob(job.Id), cancellationToken);
        return job.Id;
    }
}
