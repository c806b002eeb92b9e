namespace Stoker.Silo.Api.Events;

/// <summary>One term of an <see cref="EventFieldSelector"/>: the field equals (or, negated, differs from) the value.</summary>
public sealed record EventFieldTerm(string Field, string Value, bool Negated);
