using Microsoft.Win32.SafeHandles;

namespace Stoker.Sync.Git;

/// <summary>A <c>git_repository*</c> opened through <see cref="NativeGit"/>, freed exactly once.</summary>
internal sealed class NativeRepositoryHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NativeRepositoryHandle()
        : base(ownsHandle: true)
    {
    }

    public NativeRepositoryHandle(IntPtr handle)
        : base(ownsHandle: true)
    {
        SetHandle(handle);
    }

    protected override bool ReleaseHandle()
    {
        NativeGit.RepositoryFree(handle);
        return true;
    }
}
