using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Silo.Api.Patching;

/// <summary>What a server-side apply makes of the object: the merged fields and owners, or the conflicts that stop it.</summary>
public sealed record ApplyOutcome(JsonObject? Result, IReadOnlyList<ManagedFieldsEntry> ManagedFields, IReadOnlyList<FieldConflict> Conflicts);
