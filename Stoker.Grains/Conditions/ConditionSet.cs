using Stoker.Grains.Interfaces.Resources;

namespace Stoker.Grains.Conditions;

/// <summary>
/// The Kubernetes condition update rule (docs/resource-reference.md): a condition whose status is unchanged keeps its
/// <c>lastTransitionTime</c> and only takes the new reason, message and generation; a flip (or a new type)
/// replaces it with <c>lastTransitionTime = now</c>.
/// </summary>
public static class ConditionSet
{
    public static IReadOnlyList<Condition> Set(IReadOnlyList<Condition>? conditions, string type, string status, string reason, string message, long? generation, DateTimeOffset now)
    {
        var list = conditions?.ToList() ?? [];
        var index = list.FindIndex(c => c.Type == type);
        var next = new Condition { Type = type, Status = status, Reason = reason, Message = message, ObservedGeneration = generation, LastTransitionTime = Serialization.Truncate(now) };
        if (index < 0)
        {
            list.Add(next);
        }
        else
        {
            var current = list[index];
            list[index] = current.Status == status ? current with { Reason = reason, Message = message, ObservedGeneration = generation } : next;
        }

        return list;
    }

    public static Condition? Find(IReadOnlyList<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IReadOnlyList<Condition>? conditions, string type) => Find(conditions, type)?.Status == ConditionStatus.True;

    private static class Serialization
    {
        public static DateTimeOffset Truncate(DateTimeOffset value) => Interfaces.Serialization.KubeTimeJsonConverter.Truncate(value);
    }
}
