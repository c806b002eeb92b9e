-- Grain storage: write a grain's state with optimistic concurrency.
-- GrainStateVersion is the ETag the grain holds: NULL means "I believe no row
-- exists" (insert with version 1), otherwise the row must still carry that
-- version (update and add 1). Any mismatch returns no row, which the provider
-- reports as an InconsistentStateException.
-- In: ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
--     GrainTypeHash, GrainIdHash, GrainStateVersion, PayloadBinary.
-- Out: NewGrainStateVersion.
WITH updated AS (
    UPDATE orleans_grain_state
    SET PayloadBinary = @PayloadBinary,
        Version = Version + 1,
        GrainTypeHash = @GrainTypeHash,
        GrainIdHash = @GrainIdHash,
        ModifiedOn = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND ServiceId = @ServiceId
      AND GrainTypeString = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND coalesce(GrainIdExtensionString, '') = coalesce(@GrainIdExtensionString, '')
      AND Version = @GrainStateVersion
    RETURNING Version
), inserted AS (
    INSERT INTO orleans_grain_state
        (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, GrainTypeHash, GrainIdHash, PayloadBinary, Version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @GrainTypeHash, @GrainIdHash, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, (coalesce(GrainIdExtensionString, ''))) DO NOTHING
    RETURNING Version
)
SELECT Version AS NewGrainStateVersion FROM updated
UNION ALL
SELECT Version FROM inserted
