-- Grain storage: clear a grain's state but keep its row, so the version keeps
-- counting (used when DeleteStateOnClear is off, the default). Same ETag
-- rules as WriteToStorageKey.
-- In: ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
--     GrainTypeHash, GrainIdHash, GrainStateVersion.
-- Out: the new version (first column), no row on a version conflict.
WITH cleared AS (
    UPDATE orleans_grain_state
    SET PayloadBinary = NULL,
        Version = Version + 1,
        ModifiedOn = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND ServiceId = @ServiceId
      AND GrainTypeString = @GrainTypeString
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND coalesce(GrainIdExtensionString, '') = coalesce(@GrainIdExtensionString, '')
      AND Version = @GrainStateVersion
    RETURNING Version
), created AS (
    INSERT INTO orleans_grain_state
        (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString, GrainTypeHash, GrainIdHash, Version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @GrainTypeHash, @GrainIdHash, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, (coalesce(GrainIdExtensionString, ''))) DO NOTHING
    RETURNING Version
)
SELECT Version FROM cleared
UNION ALL
SELECT Version FROM created
