using System.Text.Json.Nodes;
using Stoker.Grains.Interfaces.Serialization;
using Stoker.Grains.Interfaces.Validation;

namespace Stoker.Silo.Api.Patching;

/// <summary>
/// Schema and semantic checks of a write's object with the API server's <c>fieldValidation</c> modes: unknown fields
/// refused (Strict: 400 "strict decoding error"), dropped with a warning (Warn) or dropped silently (Ignore).
/// </summary>
public static class GatewaySyncDecoder
{
    private const string UnknownField = "unknown field";

    public static DecodeResult Decode(JsonObject body, string? name, FieldValidation mode)
    {
        ArgumentNullException.ThrowIfNull(body);
        var parsed = GatewaySyncSerializer.FromNode(body);
        if (parsed.IsValid)
        {
            return new DecodeResult(ApplyRequestReader.ForApply(parsed.Resource), [], null);
        }

        var unknown = parsed.Violations.Where(v => v.Rule.StartsWith(UnknownField, StringComparison.Ordinal)).Select(v => v.Field).ToList();
        var others = parsed.Violations.Count - unknown.Count;
        if (unknown.Count == 0 || mode == FieldValidation.Default || (mode == FieldValidation.Strict && others > 0))
        {
            return new DecodeResult(null, [], ApiStatuses.Invalid(name, parsed.Violations));
        }

        if (mode == FieldValidation.Strict)
        {
            return new DecodeResult(null, [], WriteStatuses.StrictDecoding(name, unknown));
        }

        var pruned = body.DeepClone().AsObject();
        foreach (var field in unknown)
        {
            FieldPath.Remove(pruned, field);
        }

        var warnings = mode == FieldValidation.Warn ? unknown.Select(f => $"unknown field \"{f}\"").ToList() : [];
        var again = GatewaySyncSerializer.FromNode(pruned);
        return again.IsValid
            ? new DecodeResult(ApplyRequestReader.ForApply(again.Resource), warnings, null)
            : new DecodeResult(null, warnings, ApiStatuses.Invalid(name, again.Violations));
    }
}
