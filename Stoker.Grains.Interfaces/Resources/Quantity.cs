using System.Text.Json.Serialization;
using Stoker.Grains.Interfaces.Serialization;

namespace Stoker.Grains.Interfaces.Resources;

/// <summary>A Kubernetes int-or-string quantity (<c>500m</c>, <c>1Gi</c>, <c>2</c>); keeps whether it was written as a number.</summary>
[GenerateSerializer, Immutable]
[JsonConverter(typeof(QuantityJsonConverter))]
public sealed record Quantity([property: Id(0)] string Value, [property: Id(1)] bool IsNumber)
{
    public override string ToString() => Value;
}
