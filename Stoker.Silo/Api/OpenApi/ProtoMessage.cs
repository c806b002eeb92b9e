using Google.Protobuf;

namespace Stoker.Silo.Api.OpenApi;

/// <summary>One protobuf message being written field by field (proto3: empty values are left out).</summary>
public sealed class ProtoMessage
{
    private readonly MemoryStream _bytes = new();
    private readonly CodedOutputStream _output;

    public ProtoMessage() => _output = new CodedOutputStream(_bytes, leaveOpen: true);

    public ProtoMessage String(int field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteString(value);
        }

        return this;
    }

    public ProtoMessage Strings(int field, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteString(value);
        }

        return this;
    }

    /// <summary>Written even when the message is empty: a present-but-empty value (a oneof member) differs from an absent one.</summary>
    public ProtoMessage Message(int field, ProtoMessage? message)
    {
        if (message is not null)
        {
            _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            _output.WriteBytes(ByteString.CopyFrom(message.ToArray()));
        }

        return this;
    }

    public ProtoMessage Bool(int field, bool value)
    {
        if (value)
        {
            _output.WriteTag(field, WireFormat.WireType.Varint);
            _output.WriteBool(true);
        }

        return this;
    }

    public ProtoMessage Int64(int field, long? value)
    {
        if (value is { } v and not 0)
        {
            _output.WriteTag(field, WireFormat.WireType.Varint);
            _output.WriteInt64(v);
        }

        return this;
    }

    public ProtoMessage Double(int field, double? value)
    {
        if (value is { } v and not 0)
        {
            _output.WriteTag(field, WireFormat.WireType.Fixed64);
            _output.WriteDouble(v);
        }

        return this;
    }

    /// <summary>A bool written even when false, for a oneof member whose presence is the information.</summary>
    public ProtoMessage RawFalse(int field)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteBool(false);
        return this;
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _bytes.ToArray();
    }
}
