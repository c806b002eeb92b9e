using Stoker.Grains.Interfaces.Messages;
using Stoker.Templating;

namespace Stoker.Sync;

/// <summary>
/// The one place a <see cref="TemplateContext"/> becomes template data (docs/templates.md): a struct with exactly
/// the original's members, so <c>{{.Foo}}</c> fails as an unknown field and <c>{{.Vars.x}}</c> fails when the key
/// is missing.
/// </summary>
public static class TemplateData
{
    public const string TypeName = "TemplateData";

    public static TemplateObject Create(TemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new TemplateObject(TypeName, new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["GatewayName"] = context.GatewayName,
            ["PodName"] = context.PodName,
            ["PodOrdinal"] = context.PodOrdinal,
            ["Namespace"] = context.Namespace,
            ["Ref"] = context.Ref,
            ["Commit"] = context.Commit,
            ["CRName"] = context.CRName,
            ["Labels"] = context.Labels,
            ["Vars"] = context.Vars,
        });
    }
}
