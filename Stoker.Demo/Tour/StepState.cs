namespace Stoker.Demo.Tour;

public enum StepState
{
    Waiting,
    Running,
    Done,
    Failed,
}
