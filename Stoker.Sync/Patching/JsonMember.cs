namespace Stoker.Sync.Patching;

// An object member: its unescaped key and where its value's bytes are.
internal readonly record struct JsonMember(string Key, JsonRange Value);
