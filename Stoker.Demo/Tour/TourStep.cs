namespace Stoker.Demo.Tour;

/// <summary>One line of the tour's checklist (immutable: the state swaps whole steps).</summary>
public sealed record TourStep(string Title, StepState State, string Detail, TimeSpan? Took);
