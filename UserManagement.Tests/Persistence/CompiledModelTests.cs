using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using UserManagement.Infrastructure.PostgreSql;
using UserManagement.Infrastructure.PostgreSql.CompiledModel;
using UserManagement.Infrastructure.Sqlite.CompiledModel;
using UserManagement.Tests.Support;

namespace UserManagement.Tests.Persistence;

/// <summary>
/// The app starts on EF Core's compiled model of its provider's context (UserManagement.Infrastructure/Sqlite/CompiledModel,
/// ADR 0024 and 0029) instead of building the model from the configurations at start-up. It must say exactly what the
/// configurations say.
/// </summary>
public sealed class CompiledModelTests
{
    private const string Fix =
        "The compiled model is stale: run `bash scripts/add-migration.sh --compiled-models` (it runs `dotnet ef dbcontext optimize` "
        + "for each provider's context) and commit the result.";

    [Fact]
    public async Task Should_start_on_the_compiled_model_and_have_it_match_the_configurations()
    {
        await using var app = await TestApp.StartAsync();
        await using var db = await app.OpenDbAsync();

        db.Model.ShouldBeOfType<SqliteAppDbContextModel>("the app uses the compiled model, found by its assembly attribute");

        // The design-time model is built from OnModelCreating and the configurations, as migrations see it.
        var configured = Describe(db.GetService<IDesignTimeModel>().Model);
        var compiled = Describe(db.Model);
        compiled.ShouldBe(configured, Fix);
        configured.ShouldContain("Users", Case.Sensitive, "the description covers the tables");
    }

    [Fact]
    public void Should_have_the_PostgreSQL_compiled_model_and_migrations_match_the_configurations()
    {
        // Neither the model nor the pending-changes check opens a connection: no server is needed.
        using var db = new PostgreSqlDesignTimeFactory().CreateDbContext([]);

        db.Model.ShouldBeOfType<PostgreSqlAppDbContextModel>("the PostgreSQL context uses its own compiled model");
        Describe(db.Model).ShouldBe(Describe(db.GetService<IDesignTimeModel>().Model), Fix);
        db.Database.HasPendingModelChanges().ShouldBeFalse("the model changed without a PostgreSQL migration: run bash scripts/add-migration.sh NAME");
    }

    /// <summary>Everything about a model that reaches SQL or values: tables, columns, conversions, keys, indexes, relationships.</summary>
    private static string Describe(IReadOnlyModel model)
    {
        var text = new StringBuilder();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{entity.Name} -> {entity.GetTableName()}");
            foreach (var property in entity.GetProperties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var converter = property.GetValueConverter();
                text.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"  {property.Name}: {property.ClrType.Name} column {property.GetColumnName()} nullable={property.IsNullable} "
                    + $"max={property.GetMaxLength()} token={property.IsConcurrencyToken} generated={property.ValueGenerated} "
                    + $"converter={converter?.ModelClrType.Name}->{converter?.ProviderClrType.Name} provider={property.GetProviderClrType()?.Name} "
                    + $"comparer={property.GetValueComparer()?.GetType().Name} default={property.GetDefaultValueSql()}");
            }

            foreach (var key in entity.GetKeys())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  key {(key.IsPrimaryKey() ? "primary " : string.Empty)}({string.Join(", ", key.Properties.Select(p => p.Name))})");
            }

            foreach (var index in entity.GetIndexes().OrderBy(i => i.GetDatabaseName(), StringComparer.Ordinal))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  index {index.GetDatabaseName()} ({string.Join(", ", index.Properties.Select(p => p.Name))}) unique={index.IsUnique} filter={index.GetFilter()}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                text.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"  foreign key ({string.Join(", ", foreignKey.Properties.Select(p => p.Name))}) -> {foreignKey.PrincipalEntityType.Name} "
                    + $"on delete {foreignKey.DeleteBehavior} required={foreignKey.IsRequired}");
            }
        }

        return text.ToString();
    }
}
