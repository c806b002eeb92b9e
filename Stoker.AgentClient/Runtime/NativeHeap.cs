using System.Runtime.InteropServices;

namespace Stoker.AgentClient.Runtime;

/// <summary>
/// The C library's heap, where libgit2 and the runtime's native parts allocate (docs/sync-engine.md, Memory). glibc
/// gives each thread that contends for the heap an arena of its own and keeps freed memory in them for reuse, so after
/// a large sync the process holds tens of MB it no longer uses. Two calls fix that: fewer arenas from the start, and a
/// trim once the agent is idle. Hand-written because .NET exposes neither; both are glibc functions (a C library
/// without them, such as musl, makes these calls no-ops).
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>mallopt's M_ARENA_MAX.</summary>
    private const int ArenaMax = -8;

    /// <summary>At most this many arenas: the agent syncs on one thread at a time; a second arena covers the rest.</summary>
    private const int Arenas = 2;

    /// <summary>Caps the number of arenas; call first thing at start, before threads allocate in arenas of their own.</summary>
    public static void LimitArenas()
    {
        if (OperatingSystem.IsLinux())
        {
            Call(() => MallOpt(ArenaMax, Arenas));
        }
    }

    /// <summary>Returns the free memory at the top of every arena and whole free pages inside them to the system.</summary>
    public static void Trim()
    {
        if (OperatingSystem.IsLinux())
        {
            Call(() => MallocTrim(0));
        }
    }

    private static void Call(Func<int> call)
    {
        try
        {
            call();
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc: nothing to tune.
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
