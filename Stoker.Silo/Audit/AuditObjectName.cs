using Microsoft.AspNetCore.Http;

namespace Stoker.Silo.Audit;

/// <summary>
/// The name of the object a create (POST to a collection) is about, which only its body tells: the endpoint hands it
/// to the audit record here once it has read the body, so the audit log names it without ever reading a body itself.
/// </summary>
public static class AuditObjectName
{
    private const string Item = "stoker.io/audit-object-name";

    public static void Set(HttpContext context, string? name)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (name is not null)
        {
            context.Items[Item] = name;
        }
    }

    public static string? Get(HttpContext context) => context?.Items.TryGetValue(Item, out var name) == true ? name as string : null;
}
