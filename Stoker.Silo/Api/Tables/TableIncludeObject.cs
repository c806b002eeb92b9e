namespace Stoker.Silo.Api.Tables;

/// <summary>What each Table row carries besides its cells (<c>includeObject</c>): nothing, the metadata, or the whole object.</summary>
public enum TableIncludeObject
{
    None,
    Metadata,
    Object,
}
