using System.Text.Encodings.Web;
using System.Text.Json;

namespace UserManagement.Application.Audit;

/// <summary>
/// How changes are written as JSON (in the database, the log and the export): letters of every script kept as
/// they are, so a search for "José" finds them, and only what JSON itself needs escaped.
/// </summary>
public static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
